package dev.gradproof.djl;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DjlSetupTest {

    @Test
    void offlineUnlessTheUserSaidOtherwise() {
        String before = System.getProperty("ai.djl.offline");
        try {
            System.clearProperty("ai.djl.offline");
            DjlSetup.defaults();
            assertEquals("true", System.getProperty("ai.djl.offline"));
            System.setProperty("ai.djl.offline", "false");
            DjlSetup.defaults();
            assertEquals("false", System.getProperty("ai.djl.offline"));
        } finally {
            if (before == null) {
                System.clearProperty("ai.djl.offline");
            } else {
                System.setProperty("ai.djl.offline", before);
            }
        }
    }

    @Test
    void theEngineIsPyTorch271() {
        assertEquals("PyTorch", DjlSetup.engine().getEngineName());
        assertEquals("2.7.1", DjlSetup.engine().getVersion());
    }

    @Test
    void nativesAreUnpackedBesideTheAdaptersBuild() {
        assertEquals(Optional.of(Path.of("/w/adapters/djl/target/djl-cache")),
                DjlSetup.cacheBeside(Path.of("/w/adapters/djl/target/gradproof-djl-0.1.0-SNAPSHOT.jar")));
        assertEquals(Optional.of(Path.of("/w/adapters/djl/target/djl-cache")),
                DjlSetup.cacheBeside(Path.of("/w/adapters/djl/target/classes")));
        assertEquals(Optional.empty(), DjlSetup.cacheBeside(Path.of("/opt/libs/gradproof-djl.jar")));
    }
}
