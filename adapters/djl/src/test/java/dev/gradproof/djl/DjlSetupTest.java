package dev.gradproof.djl;

import org.junit.jupiter.api.Test;

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
}
