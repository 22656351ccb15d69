package dev.gradproof.external;

import java.util.stream.Collectors;

/** A JVM that starts a child (which starts a grandchild), prints their pids, and waits to be killed. */
public final class HookProbe {
    private HookProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessNetwork net = new ProcessNetwork(Children.fakeCommand("grandchild.py"));
        net.start(Children.NET);
        System.out.println(net.processTree().stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(" ")));
        System.out.flush();
        Thread.sleep(600_000);
    }
}
