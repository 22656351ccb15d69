package dev.gradproof.allure;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.qameta.allure.listener.TestLifecycleListener;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.TestResult;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * Shows a failed spec's explanation once. The JUnit listener copies the assertion's message into the
 * status message and again, with the stack, into the trace, so the Allure page printed the whole text
 * twice. For the test cases {@link AllureSpecReporter} reported, the message becomes the headline (the
 * verdict against the expectation) and the trace the rest of the explanation, in its Allure wording
 * (which points at the CSV attachment rather than at a report.json that is not there). The stack of
 * the assertion thrown by {@code SpecTests} says nothing about the spec, so it goes.
 *
 * <p>Registered for Allure's ServiceLoader (META-INF/services); every other test case is left alone,
 * and so is a spec whose test broke on another exception than its verdict (its stack matters).
 */
@API(status = INTERNAL, since = "0.2")
public final class SpecFailureDetails implements TestLifecycleListener {
    /** Allure text of each unmet expectation reported, by test case uuid, until that test case is written. */
    private static final Map<String, String> PENDING = new ConcurrentHashMap<>();

    /** For ServiceLoader. */
    public SpecFailureDetails() {
    }

    /** Called by the reporter: the test case {@code uuid} fails with {@code text} (headline first). */
    static void failing(String uuid, String text) {
        PENDING.put(uuid, text);
    }

    @Override
    public void beforeTestWrite(TestResult result) {
        String text = PENDING.remove(result.getUuid());
        if (text == null) {
            return;
        }
        StatusDetails details = result.getStatusDetails();
        if (details == null) {
            result.setStatusDetails(split(text));
            return;
        }
        String message = details.getMessage();
        if (message == null || message.startsWith(headline(text))) {
            StatusDetails once = split(text);
            details.setMessage(once.getMessage()).setTrace(once.getTrace());
        }
    }

    /** The headline as message, the rest (without the blank lines between) as trace, or no trace. */
    static StatusDetails split(String text) {
        String headline = headline(text);
        String rest = text.substring(headline.length()).replaceFirst("^(\\h*\\R)+", "").stripTrailing();
        return new StatusDetails().setMessage(headline.stripTrailing()).setTrace(rest.isEmpty() ? null : rest);
    }

    private static String headline(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
