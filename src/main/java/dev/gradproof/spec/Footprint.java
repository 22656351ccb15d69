package dev.gradproof.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;

/**
 * What one trial of a spec will hold in memory, estimated from the spec alone (in long arithmetic, so
 * no product of sizes can overflow) and refused before anything is allocated when it exceeds
 * {@link Limits#maxMemory}. The estimate follows what the engine keeps per trial: the data (inputs and
 * targets, twice while the trial is built), the forward pass and the exact oracle's per-unit arrays
 * (about 14 numbers per example and unit, 4 per example and input), a few per-parameter arrays, and a
 * result record per parameter checked in every trial (results are kept for the report). It is an estimate to within a small factor, not an account.
 */
final class Footprint {
    static final long BYTES_PER_DATA_VALUE = 16;
    static final long BYTES_PER_INPUT_VALUE = 4 * 8;
    static final long BYTES_PER_UNIT_VALUE = 14 * 8;
    static final long BYTES_PER_PARAMETER = 10 * 8;
    static final long BYTES_PER_RESULT = 256;

    private Footprint() {
    }

    /** Bytes per multiply-add the graph engine's exact oracle records on its tape (two terms of an index and a coefficient). */
    static final long BYTES_PER_TAPE_TERM = 2 * 12;

    /** Bytes a trial of this network on this many examples needs, with this many results kept. */
    static long bytes(NetworkSpec network, long examples, long results) {
        if (network.isGraph()) {
            GraphSpec g = network.graph();
            long data = times(examples, network.inputs() + (long) network.outputs());
            long perExample = plus(times(g.activationCount(), BYTES_PER_UNIT_VALUE),
                    times(g.multiplyAdds(), BYTES_PER_TAPE_TERM));
            return plus(plus(times(data, BYTES_PER_DATA_VALUE), times(examples, perExample)),
                    plus(times(network.parameterCount(), BYTES_PER_PARAMETER), times(results, BYTES_PER_RESULT)));
        }
        long units = 0;
        for (LayerSpec layer : network.layers()) {
            units += layer.units();
        }
        long data = times(examples, network.inputs() + (long) network.outputs());
        long activations = plus(times(times(examples, network.inputs()), BYTES_PER_INPUT_VALUE),
                times(times(examples, units), BYTES_PER_UNIT_VALUE));
        return plus(plus(times(data, BYTES_PER_DATA_VALUE), activations),
                plus(times(network.parameterCount(), BYTES_PER_PARAMETER), times(results, BYTES_PER_RESULT)));
    }

    static void check(NetworkSpec network, DataSpec data, CheckSpec check, Limits limits, Fields top)
            throws SpecException {
        long examples = examples(data, network, limits);
        long perTrial = check.directional() ? check.directions()
                : check.parameters() > 0 ? Math.min(check.parameters(), network.parameterCount()) : network.parameterCount();
        long need = bytes(network, examples, times(perTrial, check.trials()));
        if (need <= limits.maxMemory()) {
            return;
        }
        Field dataField = top.get("data");
        Fields dataMap = dataField.isMap() ? dataField.map() : null;
        Field at = dataMap != null && dataMap.has("examples") ? dataMap.get("examples") : dataField;
        String source = data.csv() != null && data.examples() == 0 ? " (as many as the csv file can hold)" : "";
        throw at.error(String.format(Locale.ROOT,
                "one trial needs about %s: %,d examples%s × %,d inputs and outputs, and activations of %,d units per "
                        + "example; this JVM may use %s. Check fewer examples or a narrower network, or give Java more "
                        + "memory (-Xmx%dg: JAVA_OPTS=-Xmx%<dg for ./gradproof, the test JVM's argLine in a build)",
                size(need), examples, source, network.inputs() + (long) network.outputs(), unitCount(network),
                size(limits.maxMemory()), suggestedHeapGb(need)));
    }

    /** The examples a trial will have: as declared, or for a whole csv file at most one per two bytes a row. */
    private static long examples(DataSpec data, NetworkSpec network, Limits limits) {
        if (data.csv() == null || data.examples() > 0) {
            return data.examples();
        }
        try {
            long rowBytes = 2L * (network.inputs() + network.outputs());
            return Math.min(limits.maxExamples(), Math.max(1, Files.size(data.csv()) / rowBytes));
        } catch (IOException e) {
            return 1; // the csv reader reports an unreadable file itself
        }
    }

    private static long unitCount(NetworkSpec network) {
        if (network.isGraph()) {
            return network.graph().activationCount();
        }
        long units = network.inputs();
        for (LayerSpec layer : network.layers()) {
            units += layer.units();
        }
        return units;
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.0f MB", Math.max(1, bytes / (double) (1L << 20)));
    }

    private static long times(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    private static long plus(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /** Whole gigabytes of heap that leave a quarter free besides the need. */
    private static long suggestedHeapGb(long need) {
        long gb = need / (1L << 30) + 1;
        return gb > Long.MAX_VALUE / 4 ? Long.MAX_VALUE / (1L << 30) : gb * 4 / 3 + 1;
    }
}
