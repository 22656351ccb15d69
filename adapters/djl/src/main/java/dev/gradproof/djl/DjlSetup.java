package dev.gradproof.djl;

import ai.djl.engine.Engine;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * Starts DJL's PyTorch engine once per JVM, the way a check needs it: offline (DJL otherwise makes a
 * telemetry request and may try to download natives, both impossible here) and on one thread unless told
 * otherwise (checks share two cores; PyTorch's default thread pool fights the harness's own workers).
 */
final class DjlSetup {
    static final String ENGINE = "PyTorch";

    private DjlSetup() {
    }

    private static volatile Engine engine;

    static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (DjlSetup.class) {
                e = engine;
                if (e == null) {
                    defaults();
                    try {
                        e = Engine.getEngine(ENGINE);
                    } catch (RuntimeException | LinkageError ex) {
                        Throwable cause = ex.getCause() == null ? ex : ex.getCause();
                        throw new IllegalStateException("DJL adapter: the PyTorch engine did not start ("
                                + ex.getMessage() + (cause == ex ? "" : ": " + cause.getMessage()) + "); it needs ai.djl.pytorch:pytorch-native-cpu:2.7.1 "
                                + "(classifier linux-x86_64) on the class path, see docs/DJL.md", ex);
                    }
                    engine = e;
                }
            }
        }
        return e;
    }

    /** Only where the user has not chosen: a -D on the command line wins. */
    static void defaults() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        // one unpacked copy of the natives (432 MB), the launcher's and the tests', also under ./gradproof directly
        if (System.getenv("DJL_CACHE_DIR") == null) {
            codeSource().flatMap(DjlSetup::cacheBeside).ifPresent(c -> setIfAbsent("DJL_CACHE_DIR", c.toString()));
        }
        // a CPU-only machine is not news: without this, every start warns "Failed to detect GPU count"
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
    }

    /**
     * {@code target/djl-cache} when this class comes from the adapter's build ({@code target/classes} or a jar in
     * {@code target}); empty elsewhere, leaving DJL its default (~/.djl.ai).
     */
    static Optional<Path> cacheBeside(Path codeSource) {
        Path parent = codeSource.toAbsolutePath().getParent();
        return parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("target")
                ? Optional.of(parent.resolve("djl-cache")) : Optional.empty();
    }

    private static Optional<Path> codeSource() {
        CodeSource cs = DjlSetup.class.getProtectionDomain().getCodeSource();
        try {
            return cs == null || cs.getLocation() == null ? Optional.empty() : Optional.of(Path.of(cs.getLocation().toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
