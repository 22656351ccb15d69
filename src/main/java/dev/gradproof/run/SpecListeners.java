package dev.gradproof.run;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.apiguardian.api.API;

/** The listeners on the class path, loaded once; one that cannot load or that throws is skipped. */
@API(status = INTERNAL, since = "0.2")
public final class SpecListeners {
    private static final List<SpecListener> LISTENERS = load();

    private SpecListeners() {
    }

    private static List<SpecListener> load() {
        List<SpecListener> found = new ArrayList<>();
        Iterator<SpecListener> it = ServiceLoader.load(SpecListener.class, SpecListeners.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                // a listener whose library is missing (Allure without allure-java-commons): not there
            }
        }
        return List.copyOf(found);
    }

    public static void specChecked(SpecOutcome outcome) {
        for (SpecListener l : LISTENERS) {
            try {
                l.specChecked(outcome);
            } catch (RuntimeException | LinkageError e) {
                // a reporter's failure never changes a test's verdict
            }
        }
    }
}
