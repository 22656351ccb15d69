package dev.gradproof.run;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Told about every spec checked as a test. Implementations are found with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/dev.gradproof.run.SpecListener} entry), so a reporter such as Allure plugs
 * in without the test adapters knowing it, and is simply absent when its library is.
 */
@API(status = INTERNAL, since = "0.2")
public interface SpecListener {

    /** Called after the spec's verdict is known, before the test passes or fails; must not throw. */
    void specChecked(SpecOutcome outcome);
}
