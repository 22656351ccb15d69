package dev.gradproof.campaign;

/**
 * A class a hostile spec asks for by tag ({@code !!dev.gradproof.campaign.Canary {value: 1}}). Its
 * static initializer, constructor and setter each record that they ran; no test references it
 * directly, so any mark in {@link CanaryFlags} means the YAML layer built (or loaded) it.
 */
public final class Canary {
    static {
        CanaryFlags.TOUCHED.incrementAndGet();
    }

    public Canary() {
        CanaryFlags.TOUCHED.incrementAndGet();
    }

    public Canary(String value) {
        CanaryFlags.TOUCHED.incrementAndGet();
    }

    public void setValue(int value) {
        CanaryFlags.TOUCHED.incrementAndGet();
    }
}
