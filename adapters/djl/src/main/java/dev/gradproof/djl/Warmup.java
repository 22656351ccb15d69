package dev.gradproof.djl;

import ai.djl.engine.Engine;

/** Starts the engine once, so that PyTorch's natives are unpacked by a build and not during a check. */
public final class Warmup {
    private Warmup() {
    }

    public static void main(String[] args) {
        Engine e = DjlSetup.engine();
        System.out.println("gradproof-djl: " + e.getEngineName() + " " + e.getVersion() + " (DJL "
                + Engine.getDjlVersion() + ") started");
    }
}
