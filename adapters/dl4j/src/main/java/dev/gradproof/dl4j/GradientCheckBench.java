package dev.gradproof.dl4j;

import dev.gradproof.api.NetworkDescription;
import dev.gradproof.external.RequestDump;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code gradproof-dl4j --bench DUMP [--repeats N]}: times Deeplearning4j's own gradient checker,
 * {@link GradientCheckUtil}, on the network, parameters and data of a protocol dump that
 * {@code gradproof bench --others} wrote, so DL4J checks exactly what gradproof checked. The network
 * is built as {@link Dl4jNetwork} builds it. Prints one JSON line on stdout: the median seconds, every
 * run's seconds, DL4J's verdict and its score (for gradproof to confirm the network is the same).
 */
public final class GradientCheckBench {
    /**
     * Step and tolerances: those most of DL4J's own gradient-check tests use for double precision. The
     * utility perturbs every parameter by ±epsilon (two scores each) after applying the updater to
     * the backprop gradient, which divides it by the batch size and adds the L2 term (docs/DL4J.md,
     * conventions 1 and 3), so its comparison is with the derivative of the score it reports.
     */
    static final double EPSILON = 1e-6;
    static final double MAX_REL_ERROR = 1e-3;
    static final double MIN_ABS_ERROR = 1e-8;

    private GradientCheckBench() {
    }

    public static void main(String[] args) throws IOException {
        Path dump = null;
        int repeats = 3;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--repeats") && i + 1 < args.length) {
                repeats = Integer.parseInt(args[++i]);
            } else if (dump == null && !args[i].startsWith("--")) {
                dump = Path.of(args[i]);
            } else {
                System.err.println("GradientCheckBench: usage: gradproof-dl4j --bench DUMP [--repeats N]");
                System.exit(2);
            }
        }
        if (dump == null || repeats < 1) {
            System.err.println("GradientCheckBench: usage: gradproof-dl4j --bench DUMP [--repeats N] (N >= 1)");
            System.exit(2);
        }
        System.out.println(run(RequestDump.read(dump), repeats));
    }

    /** The JSON line for one dump. */
    static String run(RequestDump.Contents c, int repeats) {
        // GradientCheckUtil refuses anything but double precision, in the network and in ND4J's defaults.
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        NetworkDescription d = c.network();
        int examples = c.batch().size();
        MultiLayerNetwork net = Dl4jNetwork.build(d, examples, d.reduction().equals("mean"));
        Dl4jNetwork.load(net, d, c.params());
        INDArray x = Nd4j.create(c.batch().x());
        INDArray y = Nd4j.create(c.batch().y());
        List<Double> times = new ArrayList<>();
        boolean passed = true;
        for (int r = 0; r < repeats; r++) {
            System.err.printf("GradientCheckBench: %d examples, run %d of %d%n", examples, r + 1, repeats);
            long t0 = System.nanoTime();
            passed &= GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                    .epsilon(EPSILON).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
            times.add((System.nanoTime() - t0) / 1e9);
        }
        double score = net.score(new DataSet(x, y), true);
        List<Double> sorted = times.stream().sorted().toList();
        String omp = System.getenv().getOrDefault("OMP_NUM_THREADS", "unset");
        return String.format(Locale.ROOT, "{\"checker\":\"GradientCheckUtil\",\"dl4j\":\"%s\",\"examples\":%d,"
                        + "\"parameters\":%d,\"seconds\":%s,\"times\":%s,\"passed\":%b,\"loss\":%s,\"epsilon\":%s,"
                        + "\"max_rel_error\":%s,\"min_abs_error\":%s,\"omp_threads\":\"%s\"}",
                Dl4jNetwork.DL4J_VERSION, examples, net.numParams(), sorted.get(sorted.size() / 2), times, passed,
                Double.toString(score), EPSILON, MAX_REL_ERROR, MIN_ABS_ERROR, omp);
    }
}
