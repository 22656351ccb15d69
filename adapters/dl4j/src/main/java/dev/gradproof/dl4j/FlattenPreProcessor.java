package dev.gradproof.dl4j;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The spec's {@code flatten} of a two-axis example, which DL4J holds as a recurrent array [N, A, B]:
 * a sequence [T, F] is DL4J's NCW [N, F, T] and flattens step by step (t·F + f, so DL4J's array is
 * transposed first); channels [C, L] (a conv1d's output) are [N, C, L] already and flatten as they are.
 * DL4J's own RnnToFeedForwardPreProcessor would instead make every step an example, [N·T, F].
 */
final class FlattenPreProcessor implements InputPreProcessor {
    private static final long serialVersionUID = 1L;

    private final boolean steps;
    private final int a;
    private final int b;

    /**
     * @param steps whether DL4J's [N, a, b] holds a sequence (a = features, b = steps) to flatten step by step
     */
    FlattenPreProcessor(boolean steps, int a, int b) {
        this.steps = steps;
        this.a = a;
        this.b = b;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        long n = input.size(0);
        INDArray ordered = steps ? input.permute(0, 2, 1) : input;
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, ordered.dup('c').reshape('c', n, (long) a * b));
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        long n = output.size(0);
        INDArray r = steps ? output.dup('c').reshape('c', n, b, a).permute(0, 2, 1)
                : output.dup('c').reshape('c', n, a, b);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, r.dup('c'));
    }

    @Override
    public InputPreProcessor clone() {
        return new FlattenPreProcessor(steps, a, b);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        return InputType.feedForward((long) a * b);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(maskArray, currentMaskState);
    }
}
