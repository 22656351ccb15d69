package dev.gradproof.external;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gradproof.api.Batch;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Writes one {@code losses} request (with its network) to a file in the protocol's own encoding, so
 * a child's code can be timed in-process on exactly what the protocol sends it; and reads such a
 * file back, so another checker (PyTorch's, DL4J's) can be run on exactly the network, parameters
 * and data gradproof checked.
 */
@API(status = INTERNAL, since = "0.2")
public final class RequestDump {
    private RequestDump() {
    }

    /** What a dump holds besides its perturbations. */
    public record Contents(NetworkDescription network, Parameters params, Batch batch) {
    }

    /** A dump without perturbations: a network, its parameters and one batch. */
    public static void write(Path file, NetworkDescription network, Parameters params, Batch batch) throws IOException {
        write(file, network, params, batch, List.of());
    }

    public static void write(Path file, NetworkDescription network, Parameters params, Batch batch,
                             List<Perturbation> perturbations) throws IOException {
        if (network.isGraph()) {
            Files.write(file, Protocol.line(graph(network.graph(), params, batch, perturbations)));
            return;
        }
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

    /** A layer graph's dump in protocol 2's encoding: what a protocol 2 child's {@code hello} and {@code losses} hold. */
    private static Protocol.Body graph(GraphDescription d, Parameters params, Batch batch, List<Perturbation> perturbations) {
        return g -> {
            GraphWire.writeNetwork(g, d);
            GraphWire.writeTensors(g, "params", params, d);
            GraphWire.writeExamples(g, batch, d);
            g.writeArrayFieldStart("perturbations");
            for (Perturbation p : perturbations) {
                Protocol.writePerturbation(g, GraphWire.named(p));
            }
            g.writeEndArray();
        };
    }

    /**
     * Reads a dump, checked as the protocol checks a request.
     *
     * @throws IOException when the file cannot be read or is not a valid dump (the message says where)
     */
    public static Contents read(Path file) throws IOException {
        JsonNode root = Protocol.STRICT.readTree(file.toFile());
        try {
            NetworkDescription d = Protocol.network(root.get("network"));
            return new Contents(d, Protocol.parameters(root.get("params"), "params", d), Protocol.batch(root, d));
        } catch (Protocol.Violation e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
