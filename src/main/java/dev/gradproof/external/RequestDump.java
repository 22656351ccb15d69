package dev.gradproof.external;

import dev.gradproof.api.Batch;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes one {@code losses} request (with its network) to a file in the protocol's own encoding, so
 * a child's code can be timed in-process on exactly what the protocol sends it.
 */
public final class RequestDump {
    private RequestDump() {
    }

    public static void write(Path file, NetworkDescription network, Parameters params, Batch batch,
                             List<Perturbation> perturbations) throws IOException {
        byte[] line = Protocol.line(g -> {
            Protocol.writeNetwork(g, network);
            Protocol.writeParameters(g, "params", params);
            Protocol.writeMatrix(g, "x", "x", batch.x());
            Protocol.writeMatrix(g, "y", "y", batch.y());
            g.writeArrayFieldStart("perturbations");
            for (Perturbation p : perturbations) {
                Protocol.writePerturbation(g, p);
            }
            g.writeEndArray();
        });
        Files.write(file, line);
    }
}
