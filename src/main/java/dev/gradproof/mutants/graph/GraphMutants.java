package dev.gradproof.mutants.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.compare.GraphTrialCheck;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.mutants.Applicability;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.network.graph.Layer;
import dev.gradproof.spec.layers.AttentionOptions;
import dev.gradproof.spec.layers.BatchNormOptions;
import dev.gradproof.spec.layers.ConvOptions;
import dev.gradproof.spec.layers.DropoutOptions;
import dev.gradproof.spec.layers.LayerNormOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.LossOptions;
import dev.gradproof.spec.layers.PoolOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The zoo for layer graphs: derivative bugs people write in convolutions, pooling, normalisation, dropout,
 * embeddings, recurrent cells, attention, residual joins and losses, each planted as one layer type's
 * backward pass with one line changed (the wrong line is quoted next to the reference's), and correct
 * variants the harness must never flag.
 */
@API(status = INTERNAL, since = "0.3")
public final class GraphMutants {
    private GraphMutants() {
    }

    private static final List<GraphMutant> ALL = List.of(
            new GraphMutant("conv-input-no-flip", false, "conv2d, conv1d",
                    "input gradient correlated with the kernel as stored instead of the flipped kernel",
                    "dx[c, oy*s-p+ky*d, ...] += w[o, c, kh-1-ky, kw-1-kx] * dy[o, oy, ox]   (reference: w[o, c, ky, kx])",
                    "The textbook says the input gradient of a convolution is a full convolution of dy with the kernel "
                            + "rotated by 180 degrees. PyTorch's layers are cross-correlations, so the flip and the "
                            + "correlation cancel and dx reads w[ky, kx] at the position it was used; code that applies the "
                            + "textbook's rotation to a cross-correlation (or forgets it in a true convolution) reads the "
                            + "mirrored kernel entry. The weight and bias gradients of the layer itself stay right; every "
                            + "layer below gets a wrong delta.",
                    "a convolution with more than one kernel entry and a trainable layer below it",
                    g -> below(g, GraphMutants::conv, n -> kernelArea(n) > 1, "convolution",
                            "with more than one kernel entry"),
                    planted(GraphMutants::conv, ConvolutionBugs.InputNoFlip::new)),
            new GraphMutant("conv-bias-mean", false, "conv2d, conv1d",
                    "bias gradient averaged over the output positions instead of summed",
                    "db[o] = dy[:, o].sum() / (H' * W')   (reference: db[o] = dy[:, o].sum())",
                    "A convolution's bias is added at every output position, so its gradient is the sum of dy over "
                            + "the batch and every position. Code that reuses a mean (or divides by the number of "
                            + "positions to 'normalise') makes it H'*W' times too small: a constant factor per layer "
                            + "that still trains, slowly. Where the bias feeds a batch norm its gradient is exactly 0, "
                            + "and so is any multiple of it: nothing to catch there.",
                    "a trainable convolution with a bias, more than one output position, not feeding a batch norm",
                    GraphMutants::convBiasShows,
                    planted(GraphMutants::conv, ConvolutionBugs.BiasMean::new)),
            new GraphMutant("max-pool-to-every-cell", false, "max_pool2d",
                    "max pooling's gradient sent to every cell of the window",
                    "dx[window] += dy[oy, ox]   (reference: dx[argmax] += dy[oy, ox])",
                    "Max pooling passes each output's gradient to the one input that was the maximum. Code that "
                            + "copies average pooling's backward, or upsamples dy with np.repeat / kron and forgets the "
                            + "mask of the maxima, sends it to every cell of the window.",
                    "a max pooling with more than one cell per window and a trainable layer below it",
                    g -> below(g, n -> n.options().type() == LayerType.MAX_POOL2D, n -> poolArea(n) > 1, "max pooling",
                            "with more than one cell per window"),
                    planted(n -> n.options().type() == LayerType.MAX_POOL2D, PoolingBugs.ToEveryCell::new)),
            new GraphMutant("max-pool-to-first-cell", false, "max_pool2d",
                    "max pooling's gradient sent to the window's first cell instead of its maximum",
                    "dx[window[0]] += dy[oy, ox]   (reference: dx[argmax] += dy[oy, ox])",
                    "Code that saves the window's offset but not the argmax within it (or an index that was reset to 0 "
                            + "before the loop that should have updated it) routes every output's gradient to the "
                            + "window's top-left cell. Wherever the maximum sits elsewhere, its input gets nothing and "
                            + "the top-left cell gets a gradient it never earned.",
                    "a max pooling with more than one cell per window and a trainable layer below it",
                    g -> below(g, n -> n.options().type() == LayerType.MAX_POOL2D, n -> poolArea(n) > 1, "max pooling",
                            "with more than one cell per window"),
                    planted(n -> n.options().type() == LayerType.MAX_POOL2D, PoolingBugs.MaxToFirstCell::new)),
            new GraphMutant("avg-pool-undivided", false, "avg_pool2d",
                    "average pooling's gradient passed to each cell without the 1/(kh*kw)",
                    "dx[window] += dy[oy, ox]   (reference: dx[window] += dy[oy, ox] / (kh * kw))",
                    "Average pooling's output is the window's sum divided by its area, and so is each cell's share of "
                            + "the gradient. Code that upsamples dy to the input's size and forgets the division passes "
                            + "kh*kw times too much to the layers below.",
                    "an average pooling with more than one cell per window and a trainable layer below it",
                    g -> below(g, n -> n.options().type() == LayerType.AVG_POOL2D, n -> poolArea(n) > 1,
                            "average pooling", "with more than one cell per window"),
                    planted(n -> n.options().type() == LayerType.AVG_POOL2D, PoolingBugs.ToEveryCell::new)),
            new GraphMutant("batch-norm-constant-statistics", false, "batch_norm",
                    "batch norm's input gradient with the batch mean and variance treated as constants",
                    "dx = gamma * r * dy   (reference: dx = r/M * (M*g - sum(g) - xhat * sum(g*xhat)), g = gamma * dy)",
                    "In training mode the batch mean and variance depend on every input of the batch. A backward pass "
                            + "derived as if they were constants (as they are in evaluation mode) keeps only gamma*r*dy "
                            + "and drops the two terms that centre the gradient and remove its component along x-hat. The "
                            + "affine parameters' gradients stay right; the layers below get the wrong delta.",
                    "a batch norm with a trainable layer below it",
                    g -> below(g, n -> n.options().type() == LayerType.BATCH_NORM, n -> true, "batch norm", ""),
                    planted(n -> n.options().type() == LayerType.BATCH_NORM, (g, n) -> new LayerBugs.BatchNormInput(g, n,
                            LayerBugs.BatchNormInput.Slip.CONSTANT_STATISTICS))),
            new GraphMutant("batch-norm-gamma-forgotten", false, "batch_norm",
                    "batch norm's input gradient without the scale gamma",
                    "dx = r/M * (M*dy - sum(dy) - xhat * sum(dy*xhat))   (reference: the same with g = gamma * dy for dy)",
                    "The compact batch-norm backward formula is written for the normalised output x-hat; with the affine "
                            + "y = gamma * x-hat + beta on top, dy must first be multiplied by gamma. Forgetting it scales "
                            + "each channel's input gradient by 1/gamma: a constant factor per channel, invisible while "
                            + "gamma stays near its initial 1 (the harness draws gamma away from 1 on purpose).",
                    "an affine batch norm with a trainable layer below it",
                    g -> below(g, n -> n.options().type() == LayerType.BATCH_NORM, n -> ((BatchNormOptions) n.options())
                            .affine(), "batch norm", "with an affine scale"),
                    planted(n -> n.options().type() == LayerType.BATCH_NORM, (g, n) -> new LayerBugs.BatchNormInput(g, n,
                            LayerBugs.BatchNormInput.Slip.GAMMA_FORGOTTEN))),
            new GraphMutant("dropout-mask-forgotten", false, "dropout",
                    "dropout's backward pass scales by 1/(1-p) but forgets the mask",
                    "dx = dy / (1 - p)   (reference: dx = mask * dy, mask = 0 or 1/(1 - p))",
                    "Inverted dropout multiplies the kept units by 1/(1-p) and zeroes the others; its backward pass must "
                            + "do the same to dy. Code that keeps the scale but not the mask (the mask was a local "
                            + "variable of forward, never saved) passes gradient through units that were dropped.",
                    "a dropout with p > 0 and a trainable layer below it",
                    g -> below(g, n -> n.options().type() == LayerType.DROPOUT, n -> dropout(n) > 0, "dropout",
                            "with p > 0"),
                    planted(n -> n.options().type() == LayerType.DROPOUT, LayerBugs.DropoutMaskForgotten::new)),
            new GraphMutant("dropout-scale-forgotten", false, "dropout",
                    "dropout's backward pass applies the mask but not the 1/(1-p) scale",
                    "dx = (mask != 0) * dy   (reference: dx = mask * dy, mask = 0 or 1/(1 - p))",
                    "Inverted dropout scales the kept units by 1/(1-p) in forward. A backward pass that stores the "
                            + "boolean keep-mask and multiplies dy by it forgets the scale: every gradient through the "
                            + "layer is (1-p) times too small, a constant factor that a tuned learning rate hides.",
                    "a dropout with p > 0 and a trainable layer below it",
                    g -> below(g, n -> n.options().type() == LayerType.DROPOUT, n -> dropout(n) > 0, "dropout",
                            "with p > 0"),
                    planted(n -> n.options().type() == LayerType.DROPOUT, LayerBugs.DropoutScaleForgotten::new)),
            new GraphMutant("embedding-assigned", false, "embedding",
                    "embedding gradient scattered by assignment: a repeated id keeps one position's gradient",
                    "dW[ids] = dy   (reference: np.add.at(dW, ids, dy), i.e. dW[id] += dy at every position)",
                    "numpy's fancy-index assignment dW[ids] = dy (or dW[ids] += dy, which is the same thing: the "
                            + "buffered update applies once per distinct index) writes each row once, so a token used at "
                            + "two positions gets the last position's gradient instead of the sum. The harness draws "
                            + "token ids with repeats on purpose.",
                    "a trainable embedding over at least two positions (ids repeat within each example)",
                    GraphMutants::embeddingShows,
                    planted(n -> n.options().type() == LayerType.EMBEDDING, LayerBugs.EmbeddingAssigned::new)),
            new GraphMutant("truncated-bptt", false, "rnn, lstm, gru",
                    "the hidden state's gradient not carried to the previous time step",
                    "dh = dy[t]   (reference: dh = dy[t] + W_hh^T da[t+1], and for the LSTM dc = dc[t+1] * f[t+1] + ...)",
                    "Backpropagation through time adds, at every step, the gradient coming back from the next step "
                            + "through the recurrent weights (and the LSTM's cell state). A loop that resets dh (and dc) "
                            + "at each step, or a refactor that returns the carried gradient and drops it, truncates BPTT "
                            + "to one step: each step's loss teaches its own gates only, and long-range dependencies "
                            + "are never learnt.",
                    "a recurrent layer over at least two steps with a trainable parameter at or below it",
                    GraphMutants::recurrentShows,
                    planted(GraphMutants::recurrent, (g, n) -> new RecurrentBugs(g, n, RecurrentBugs.Slip.TRUNCATED))),
            new GraphMutant("lstm-forget-tanh-derivative", false, "lstm",
                    "the LSTM's forget gate differentiated with tanh' instead of sigmoid'",
                    "da_f = dc * c_prev * (1 - f**2)   (reference: da_f = dc * c_prev * f * (1 - f))",
                    "Three of the LSTM's four gates are sigmoids and one (the candidate g) is a tanh. Code that "
                            + "derives the gates in a loop, or copies the candidate's line, applies 1 - f^2 to the forget "
                            + "gate: its gradient keeps its sign but is (1 + f)/f times too large, so the gate learns "
                            + "too fast where it is nearly closed.",
                    "an lstm over at least two steps (at the first the forget gate multiplies a zero cell) with a "
                            + "trainable parameter at or below it",
                    g -> recurrentShows(g, LayerType.LSTM),
                    planted(n -> n.options().type() == LayerType.LSTM, (g, n) -> new RecurrentBugs(g, n,
                            RecurrentBugs.Slip.FORGET_TANH_DERIVATIVE))),
            new GraphMutant("lstm-cell-no-forget-product", false, "lstm",
                    "the LSTM's cell gradient carried back without the forget gate's factor",
                    "dc_prev = dc   (reference: dc_prev = dc * f)",
                    "c_t = f * c_{t-1} + i * g, so the gradient reaching c_{t-1} through the cell is dc_t times f_t. "
                            + "Forgetting the product lets the cell's gradient flow back undamped, as if every forget "
                            + "gate were open: exactly the 'constant error carousel' without its gate.",
                    "an lstm over at least two steps with a trainable parameter at or below it",
                    g -> recurrentShows(g, LayerType.LSTM),
                    planted(n -> n.options().type() == LayerType.LSTM, (g, n) -> new RecurrentBugs(g, n,
                            RecurrentBugs.Slip.CELL_NO_FORGET_PRODUCT))),
            new GraphMutant("gru-update-gate-flipped", false, "gru",
                    "the GRU's backward written for h' = z*n + (1-z)*h while the forward uses (1-z)*n + z*h",
                    "dn = dh * z; dz = dh * (n - h); dh_prev += dh * (1 - z)   "
                            + "(reference: dn = dh * (1 - z); dz = dh * (h - n); dh_prev += dh * z)",
                    "The GRU paper writes h' = (1 - z) * h + z * n; PyTorch (and this harness) computes (1 - z) * n + "
                            + "z * h. A backward pass derived from the paper for a forward written from PyTorch's "
                            + "documentation swaps the roles of z and 1 - z in every gradient through the update gate.",
                    "a gru with a trainable parameter at or below it",
                    g -> recurrentShows(g, LayerType.GRU, 1),
                    planted(n -> n.options().type() == LayerType.GRU, (g, n) -> new RecurrentBugs(g, n,
                            RecurrentBugs.Slip.GRU_Z_FLIPPED))),
            new GraphMutant("attention-no-scale", false, "attention",
                    "attention's backward pass without the 1/sqrt(d) of the scores",
                    "ds = p * (dp - sum(p * dp))   (reference: ds = p * (dp - sum(p * dp)) / sqrt(d))",
                    "Scaled dot-product attention divides the scores q.k by sqrt(d) in forward; a hand-written "
                            + "backward that derives dL/dq and dL/dk from the unscaled scores makes the query and key "
                            + "projections' gradients sqrt(d) times too large, and everything below them wrong. The value "
                            + "and output projections are unaffected.",
                    "an attention layer with a head width d > 1 and a trainable parameter at or below it",
                    GraphMutants::attentionShows,
                    planted(n -> n.options().type() == LayerType.ATTENTION, (g, n) -> new AttentionBugs(g, n,
                            AttentionBugs.Slip.NO_SCALE))),
            new GraphMutant("attention-softmax-diagonal", false, "attention",
                    "attention's softmax Jacobian reduced to its diagonal",
                    "ds = p * (1 - p) * dp / sqrt(d)   (reference: ds = p * (dp - sum(p * dp)) / sqrt(d))",
                    "The softmax's derivative is a full matrix, dp_t/ds_u = p_t (delta_tu - p_u). Code that treats the "
                            + "softmax as elementwise, like a sigmoid, keeps p(1-p) on the diagonal and drops the coupling "
                            + "between keys: dL/dq and dL/dk go wrong wherever a query sees more than one key.",
                    "an attention layer over at least two steps with a trainable parameter at or below it",
                    GraphMutants::attentionSeesTwoKeys,
                    planted(n -> n.options().type() == LayerType.ATTENTION, (g, n) -> new AttentionBugs(g, n,
                            AttentionBugs.Slip.SOFTMAX_DIAGONAL))),
            new GraphMutant("residual-skip-dropped", false, "add",
                    "a residual join passes its gradient to the branch only, not along the skip",
                    "dx_branch += dy   (reference: dx_skip += dy; dx_branch += dy)",
                    "y = x + F(x) has two paths back to x: through the branch F and straight along the skip. Code that "
                            + "treats the skip as a constant (a detached copy, or an add whose backward returns one "
                            + "gradient) keeps only the branch's, which is exactly what residual connections were "
                            + "invented to avoid: the layers below the block learn only through F.",
                    "an add whose skip input (one that also feeds another of its inputs) has a trainable layer at or "
                            + "below it",
                    GraphMutants::skipShows,
                    GraphMutants::skipDropped),
            new GraphMutant("huber-slope-unclipped", false, "loss huber",
                    "Huber's gradient r = a - y beyond delta instead of delta * sign(r)",
                    "grad = r   (reference: grad = r if |r| <= delta else delta * sign(r))",
                    "Huber is quadratic within delta and linear beyond it, so its gradient is r clipped to [-delta, "
                            + "delta]. Code that writes the quadratic branch's gradient for both (or clips the loss but "
                            + "not the gradient) gives outliers the pull of squared error, which is what Huber was "
                            + "chosen to avoid. It shows wherever a residual exceeds delta.",
                    "a Huber loss (shows in a trial where some residual exceeds delta)",
                    g -> g.head().options().kind() == LossOptions.Kind.HUBER ? Applicability.yes()
                            : Applicability.no("no Huber loss"),
                    HeadBugs.HUBER_SLOPE_UNCLIPPED),
            new GraphMutant("conv-weight-stride-ignored", false, "conv2d, conv1d",
                    "weight gradient reads the input at stride 1 while the forward pass strides",
                    "dw[o, c, ky, kx] += dy[o, oy, ox] * x[c, oy-p+ky*d, ox-p+kx*d]   "
                            + "(reference: x[c, oy*s-p+ky*d, ox*s-p+kx*d])",
                    "The weight gradient correlates the input with dy, reading for output (oy, ox) the input window the "
                            + "forward pass used, which starts at oy*s. Code written and tested for stride 1 (or an im2col "
                            + "whose column index forgets the stride) reads the window at oy: the right cells for the "
                            + "first output of each row, shifted ones after it. The input gradient stays right.",
                    "a trainable convolution with a stride > 1 along an axis with more than one output position",
                    g -> conv(g, n -> Where.trainable(n) && strided(n), "trainable convolution with a stride > 1 along "
                            + "an axis with more than one output position"),
                    planted(GraphMutants::conv, (g, n) -> new ConvolutionBugs.OffsetsIgnored(g, n,
                            ConvolutionBugs.OffsetsIgnored.Slip.STRIDE))),
            new GraphMutant("conv-weight-padding-ignored", false, "conv2d, conv1d",
                    "weight gradient reads the input without the padding's offset",
                    "dw[o, c, ky, kx] += dy[o, oy, ox] * x[c, oy*s+ky*d, ox*s+kx*d]   "
                            + "(reference: x[c, oy*s-p+ky*d, ox*s-p+kx*d])",
                    "With padding p the output (oy, ox) reads the input window that starts p cells before oy*s, in "
                            + "the zero border. A backward pass that indexes the unpadded input as if it were the padded "
                            + "one (or pads dy instead of x) reads every window p cells too far right and down: each "
                            + "weight's gradient pairs dy with the wrong input cell. The input gradient stays right.",
                    "a trainable convolution with padding > 0",
                    g -> conv(g, n -> Where.trainable(n) && padded(n), "trainable convolution with padding > 0"),
                    planted(GraphMutants::conv, (g, n) -> new ConvolutionBugs.OffsetsIgnored(g, n,
                            ConvolutionBugs.OffsetsIgnored.Slip.PADDING))),
            new GraphMutant("conv-dilation-ignored", false, "conv2d, conv1d",
                    "backward pass reads and writes the input at dilation 1 while the forward pass dilates",
                    "iy = oy*s - p + ky; ix = ox*s - p + kx   (reference: iy = oy*s - p + ky*d; ix = ox*s - p + kx*d)",
                    "A dilated kernel samples every d-th input cell. A backward pass copied from the undilated "
                            + "convolution (the dilation was added to forward later) pairs dy with adjacent cells in the "
                            + "weight gradient and sends the input gradient to them: both go wrong, the bias stays right.",
                    "a convolution with a dilation > 1 along an axis where its kernel has more than one entry, trainable "
                            + "or with a trainable layer below it",
                    g -> conv(g, n -> dilated(n) && (Where.trainable(n) || Where.trainableBelow(g, n)),
                            "convolution with a dilation > 1 (and a kernel wider than 1 along it) that is trainable or "
                                    + "has a trainable layer below it"),
                    planted(GraphMutants::conv, (g, n) -> new ConvolutionBugs.OffsetsIgnored(g, n,
                            ConvolutionBugs.OffsetsIgnored.Slip.DILATION))),
            new GraphMutant("max-pool-ties-double-counted", false, "max_pool2d",
                    "max pooling gives a tie's gradient to every maximum of the window",
                    "dx[window] += dy[oy, ox] * (x[window] == x[window].max())   (reference: dx[argmax] += dy[oy, ox])",
                    "The mask idiom of a vectorised max-pool backward, (x == max) * dy, is right until two cells of a "
                            + "window hold the maximum: then each gets the whole gradient and the window passes back "
                            + "twice what came in. Exact ties are common where the data hold exact zeros (a window of equal "
                            + "biases); a ReLU's ties are the zeros of dead units, which pass nothing back.",
                    "a max pooling with more than one cell per window and a trainable layer below it (shows where a "
                            + "window ties)",
                    g -> below(g, n -> n.options().type() == LayerType.MAX_POOL2D, n -> poolArea(n) > 1, "max pooling",
                            "with more than one cell per window"),
                    planted(n -> n.options().type() == LayerType.MAX_POOL2D, PoolingBugs.MaxEveryTie::new)),
            new GraphMutant("batch-norm-unbiased-variance", false, "batch_norm",
                    "batch norm's backward pass uses the unbiased variance, its forward pass the biased one",
                    "var = ((x - mean)**2).sum() / (M - 1)   (reference: var = ((x - mean)**2).sum() / M)",
                    "PyTorch normalises with the biased variance (divided by M) and keeps the unbiased one (M - 1) for "
                            + "the running estimate; numpy's var and torch.var differ in their default. A backward pass "
                            + "that recomputes the variance with the other convention gets r and x-hat slightly wrong, "
                            + "by a factor sqrt((M-1)/M) that vanishes with large batches and shows with small ones.",
                    "a batch norm with a trainable layer below it",
                    g -> below(g, n -> n.options().type() == LayerType.BATCH_NORM, n -> true, "batch norm", ""),
                    planted(n -> n.options().type() == LayerType.BATCH_NORM, (g, n) -> new LayerBugs.BatchNormInput(g, n,
                            LayerBugs.BatchNormInput.Slip.UNBIASED_VARIANCE))),
            new GraphMutant("layer-norm-wrong-axis", false, "layer_norm",
                    "layer norm's input gradient with statistics over the steps instead of each step's features",
                    "mean = x.mean(axis=0); var = x.var(axis=0); sums over axis 0   (reference: axis=-1)",
                    "Layer norm normalises each step's features, batch norm each feature across the batch; a backward "
                            + "pass adapted from batch norm keeps its axis 0, which on a [T, F] block means the T steps of "
                            + "one feature. Mean, variance and the two correction sums come from the wrong values; the "
                            + "affine parameters' gradients stay right.",
                    "a layer norm over the features of a sequence of at least two steps with a trainable layer below it",
                    GraphMutants::layerNormShows,
                    planted(n -> n.options().type() == LayerType.LAYER_NORM, LayerBugs.LayerNormWrongAxis::new)),
            new GraphMutant("attention-causal-mask-forward-only", false, "attention",
                    "causal attention's backward pass recomputes the probabilities without the mask",
                    "p = softmax(q @ k.T / sqrt(d)); ds = p * (dp - sum(p * dp)) / sqrt(d)   "
                            + "(reference: p = softmax(q @ k.T / sqrt(d) + mask))",
                    "A backward pass that recomputes the attention probabilities instead of saving them (to save "
                            + "memory) must apply the causal mask again. Forgetting it there gives every query "
                            + "probability on future keys in the softmax Jacobian: dL/dq and dL/dk go wrong, and future "
                            + "keys get gradient from queries that never saw them. The value gradient uses the saved, "
                            + "masked probabilities and stays right.",
                    "a causal attention layer over at least two steps with a trainable parameter at or below it",
                    GraphMutants::causalShows,
                    planted(n -> n.options().type() == LayerType.ATTENTION, (g, n) -> new AttentionBugs(g, n,
                            AttentionBugs.Slip.CAUSAL_MASK_FORGOTTEN))),
            new GraphMutant("attention-value-unmasked", false, "attention",
                    "causal attention's value gradient from the unmasked probabilities",
                    "dv = softmax(q @ k.T / sqrt(d)).T @ do   (reference: dv = softmax(q @ k.T / sqrt(d) + mask).T @ do)",
                    "The value gradient is P-transpose times dO, with P the probabilities the forward pass used. Code "
                            + "that rebuilds P for it from the raw scores without the causal mask lets every value "
                            + "collect gradient from earlier queries that never attended to it.",
                    "a causal attention layer over at least two steps with a trainable parameter at or below it",
                    GraphMutants::causalShows,
                    planted(n -> n.options().type() == LayerType.ATTENTION, (g, n) -> new AttentionBugs(g, n,
                            AttentionBugs.Slip.VALUE_UNMASKED))),
            new GraphMutant("l1-sign-by-division", false, "loss l1",
                    "L1's derivative written as r / |r|, NaN where a residual is exactly 0",
                    "grad = r / abs(r) / K   (reference: grad = sign(r) / K, 0 at r = 0)",
                    "numpy has np.sign, yet r / np.abs(r) is a common way to write it, and it is right everywhere except "
                            + "where it matters for L1: at r = 0 it is 0/0 = NaN, outside the subgradient interval "
                            + "[-1, 1], and the NaN spreads through the whole backward pass (NaN * 0 is NaN). Residuals "
                            + "are exactly 0 where a ReLU output unit is dead and its target is 0.",
                    "an L1 loss on a relu output (where a dead unit meets a target of 0 the residual is exactly 0)",
                    g -> g.head().options().kind() != LossOptions.Kind.L1 ? Applicability.no("no L1 loss")
                            : relu(g.nodes().get(g.nodes().size() - 1)) ? Applicability.yes()
                            : Applicability.no("the output is not a relu: a residual is never exactly 0"),
                    HeadBugs.L1_SIGN_BY_DIVISION),
            new GraphMutant("hinge-last-class-skipped", false, "loss hinge",
                    "the multi-class hinge's loop over the other classes stops one class short",
                    "for i in range(K - 1): ...   (reference: for i in range(K): if i != c: ...)",
                    "MultiMarginLoss sums max(0, 1 - a_c + a_i) over every class i other than the target c. A loop "
                            + "written with range(K - 1) (thinking 'the K - 1 other classes') skips the last class: where "
                            + "its margin is violated it is never pushed down, and the target is pushed up once too few.",
                    "a hinge loss over at least two classes",
                    g -> g.head().options().kind() != LossOptions.Kind.HINGE ? Applicability.no("no hinge loss")
                            : g.head().width() >= 2 ? Applicability.yes() : Applicability.no("one class: no margin"),
                    HeadBugs.HINGE_LAST_CLASS_SKIPPED),
            new GraphMutant("max-pool-last-tie", true, "max_pool2d",
                    "a max-pooling tie routed to the last maximum (row-major) instead of the first",
                    "if x[i] >= x[best]: best = i   (reference: if x[i] > x[best]: best = i)",
                    "Two equal maxima in a window make max pooling non-differentiable; PyTorch's CPU kernel gives the "
                            + "gradient to the first, code that compares with >= to the last. Both are valid "
                            + "subgradients, and the harness must flag neither: max-pool-ties puts exactly equal maxima "
                            + "in most windows.",
                    "a max pooling with a trainable layer below it",
                    g -> below(g, n -> n.options().type() == LayerType.MAX_POOL2D, n -> true, "max pooling", ""),
                    planted(n -> n.options().type() == LayerType.MAX_POOL2D, PoolingBugs.MaxLastTie::new)),
            new GraphMutant("dropout-p0-identity", true, "dropout",
                    "dropout with p = 0 passed straight through in backward (no mask, no scale)",
                    "dx = dy   (reference: dx = mask * dy, every mask entry 1 at p = 0)",
                    "At p = 0 dropout keeps every unit and its scale 1/(1-p) is 1: the identity. Code that skips the "
                            + "layer in backward is right, and must not be flagged.",
                    "a dropout with p = 0",
                    g -> Where.any(g, LayerType.DROPOUT, n -> dropout(n) == 0) ? Applicability.yes()
                            : Applicability.no(Where.layers(g, LayerType.DROPOUT).isEmpty() ? "no dropout"
                            : "no dropout with p = 0"),
                    planted(n -> n.options().type() == LayerType.DROPOUT && dropout(n) == 0,
                            LayerBugs.DropoutIdentity::new)),
            new GraphMutant("batch-norm-relu-one-at-zero", true, "batch_norm + relu",
                    "ReLU after batch norm with relu'(0) = 1 instead of 0",
                    "relu_grad = (z >= 0)   (reference: relu_grad = (z > 0))",
                    "A batch norm of a symmetric batch puts the middle value at exactly 0, where ReLU has no "
                            + "derivative: PyTorch uses 0, code that writes z >= 0 uses 1. Both are subgradients, and "
                            + "the harness must flag neither.",
                    "a batch norm followed by a relu",
                    g -> Where.any(g, LayerType.BATCH_NORM, GraphMutants::relu) ? Applicability.yes()
                            : Applicability.no("no batch norm followed by a relu"),
                    (g, theta, c, f) -> g.withNodes(n -> n.options().type() == LayerType.BATCH_NORM && relu(n)
                            ? HeadBugs.reluOneAtZero(n) : n).gradient(theta, c.data(), f)),
            new GraphMutant("lstm-per-step", true, "lstm",
                    "the LSTM's backward pass written one time step at a time, gate by gate",
                    "for t in reversed(range(T)): da = gates' derivatives at t; dh = W_hh.T @ da; dc = dc * f   "
                            + "(reference: the same sums, as the reference layer orders them)",
                    "Backpropagation through time can be written as one loop over the steps with a scalar line per gate "
                            + "(as a tutorial does) or over whole tensors; the sums are the same and differ by rounding "
                            + "only. The harness must flag neither.",
                    "an lstm",
                    g -> Where.layers(g, LayerType.LSTM).isEmpty() ? Applicability.no("no lstm") : Applicability.yes(),
                    planted(n -> n.options().type() == LayerType.LSTM, (g, n) -> new RecurrentBugs(g, n,
                            RecurrentBugs.Slip.NONE))),
            new GraphMutant("conv-float32", true, "conv2d, conv1d",
                    "the convolutions' backward pass computed in float32, judged under the float32 contract",
                    "gw = np.zeros(w.shape, np.float32); gw += dy32 * x32   (reference: the same sums in float64)",
                    "Frameworks train convolutions in float32. Its backward pass differs from float64's by rounding "
                            + "only, about 1e-7 relative per operation instead of 1e-16, and an implementation that "
                            + "declares float32 (as an adapter answering dtype float32 does) is judged with tolerances "
                            + "derived from that unit roundoff. The harness must not flag it.",
                    "a convolution, trainable or with a trainable layer below it",
                    g -> conv(g, n -> Where.trainable(n) || Where.trainableBelow(g, n), "trainable convolution and none "
                            + "with a trainable layer below it"),
                    float32(planted(GraphMutants::conv, ConvolutionBugs.Float32::new))));

    /** Every graph mutant, bugs first, then the correct variants. */
    public static List<GraphMutant> all() {
        return ALL;
    }

    /**
     * Bugs whose wrong line computes something else only at some draws (a rule for ties, where nothing may
     * tie): a trial at which such a bug leaves every gradient bit for bit as the reference's is not counted.
     * Any other bug that changes nothing is a miss, as it must be.
     */
    private static final Set<String> DRAW_DEPENDENT = Set.of("max-pool-ties-double-counted");

    static boolean drawDependent(GraphMutant m) {
        return !m.correct() && DRAW_DEPENDENT.contains(m.name());
    }

    public static GraphMutant byName(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no graph mutant named " + name + " (known: "
                        + ALL.stream().map(GraphMutant::name).collect(Collectors.joining(", ")) + ")"));
    }

    // ---- planting ----

    /** The gradient with every node that {@code which} selects wrapped by {@code wrap}. */
    static GraphTrialCheck.Analytic planted(Predicate<GraphNode> which, BiFunction<GraphNetwork, GraphNode, Layer> wrap) {
        return (g, theta, c, f) -> g.withNodes(n -> which.test(n) ? with(n, wrap.apply(g, n)) : n)
                .gradient(theta, c.data(), f);
    }

    /** The gradient as computed, declared to be float32's: the tolerances follow unit roundoff 2^-24. */
    static GraphTrialCheck.Analytic float32(GraphTrialCheck.Analytic gradient) {
        return new GraphTrialCheck.Analytic() {
            @Override
            public double[] gradient(GraphNetwork g, double[] theta, GraphCase c, GraphForward f) {
                return gradient.gradient(g, theta, c, f);
            }

            @Override
            public double unitRoundoff() {
                return UnderTest.FLOAT32;
            }
        };
    }

    static GraphNode with(GraphNode n, Layer layer) {
        return new GraphNode(n.index(), n.name(), n.options(), layer, n.inputs(), n.activation(), n.softmax(),
                n.frozen(), n.offset());
    }

    /** Every residual add with its skip's gradient dropped. */
    private static double[] skipDropped(GraphNetwork g, double[] theta, GraphCase c, GraphForward f) {
        return g.withNodes(n -> n.options().type() == LayerType.ADD && skip(g, n) >= 0
                ? with(n, new LayerBugs.SkipDropped(g, n, skip(g, n))) : n).gradient(theta, c.data(), f);
    }

    // ---- where a mistake can show ----

    /** A convolution of the form exists; otherwise why not. */
    private static Applicability conv(GraphNetwork g, Predicate<GraphNode> form, String formWords) {
        List<GraphNode> convs = g.nodes().stream().filter(GraphMutants::conv).toList();
        if (convs.isEmpty()) {
            return Applicability.no("no convolution");
        }
        return convs.stream().anyMatch(form) ? Applicability.yes() : Applicability.no("no " + formWords);
    }

    /** A stride > 1 along an axis with more than one output position (at one position the stride is never used). */
    private static boolean strided(GraphNode n) {
        ConvOptions o = (ConvOptions) n.options();
        for (int a = 0; a < o.axes(); a++) {
            if (o.stride()[a] > 1 && n.shape().dim(1 + a) > 1) {
                return true;
            }
        }
        return false;
    }

    private static boolean padded(GraphNode n) {
        for (int p : ((ConvOptions) n.options()).padding()) {
            if (p > 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean dilated(GraphNode n) {
        ConvOptions o = (ConvOptions) n.options();
        for (int a = 0; a < o.axes(); a++) {
            if (o.dilation()[a] > 1 && o.kernel()[a] > 1) {
                return true;
            }
        }
        return false;
    }

    private static Applicability layerNormShows(GraphNetwork g) {
        List<GraphNode> norms = Where.layers(g, LayerType.LAYER_NORM);
        if (norms.isEmpty()) {
            return Applicability.no("no layer norm");
        }
        List<GraphNode> sequences = norms.stream().filter(n -> {
            Shape in = WrongBackward.inputShapes(g, n).get(0);
            int[] normalised = ((LayerNormOptions) n.options()).resolved(in);
            return in.rank() == 2 && in.dim(0) >= 2 && normalised.length == 1;
        }).toList();
        if (sequences.isEmpty()) {
            return Applicability.no("no layer norm over the features of a sequence of at least two steps");
        }
        return sequences.stream().anyMatch(n -> Where.trainableBelow(g, n)) ? Applicability.yes()
                : Applicability.no("no trainable layer below the layer norm: its input gradient reaches no checked "
                + "parameter");
    }

    private static Applicability causalShows(GraphNetwork g) {
        List<GraphNode> a = Where.layers(g, LayerType.ATTENTION).stream()
                .filter(n -> ((AttentionOptions) n.options()).causal()).toList();
        if (a.isEmpty()) {
            return Applicability.no("no causal attention layer");
        }
        List<GraphNode> longer = a.stream().filter(n -> WrongBackward.inputShapes(g, n).get(0).dim(0) >= 2).toList();
        if (longer.isEmpty()) {
            return Applicability.no("one step: the causal mask hides nothing");
        }
        return longer.stream().anyMatch(n -> Where.trainable(n) || Where.trainableBelow(g, n)) ? Applicability.yes()
                : Applicability.no("the attention layers are frozen and nothing below them is trainable");
    }

    private static boolean conv(GraphNode n) {
        return n.options() instanceof ConvOptions;
    }

    private static boolean recurrent(GraphNode n) {
        LayerType t = n.options().type();
        return t == LayerType.RNN || t == LayerType.LSTM || t == LayerType.GRU;
    }

    private static boolean relu(GraphNode n) {
        return n.activation() != null && n.activation().name().equals("relu");
    }

    private static int kernelArea(GraphNode n) {
        int a = 1;
        for (int k : ((ConvOptions) n.options()).kernel()) {
            a *= k;
        }
        return a;
    }

    private static int poolArea(GraphNode n) {
        int[] k = ((PoolOptions) n.options()).kernel();
        return k[0] * k[1];
    }

    private static double dropout(GraphNode n) {
        return ((DropoutOptions) n.options()).p();
    }

    /** A layer of the kind, of the form, with a trainable layer below it. */
    private static Applicability below(GraphNetwork g, Predicate<GraphNode> kind, Predicate<GraphNode> form, String what,
                                       String formWords) {
        List<GraphNode> layers = g.nodes().stream().filter(kind).toList();
        if (layers.isEmpty()) {
            return Applicability.no("no " + what);
        }
        List<GraphNode> shaped = layers.stream().filter(form).toList();
        if (shaped.isEmpty()) {
            return Applicability.no("no " + what + " " + formWords);
        }
        return shaped.stream().anyMatch(n -> Where.trainableBelow(g, n)) ? Applicability.yes()
                : Applicability.no("no trainable layer below the " + what + ": its input gradient reaches no checked "
                + "parameter");
    }

    private static Applicability convBiasShows(GraphNetwork g) {
        List<GraphNode> convs = g.nodes().stream().filter(GraphMutants::conv).toList();
        if (convs.isEmpty()) {
            return Applicability.no("no convolution");
        }
        List<GraphNode> biased = convs.stream().filter(n -> ((ConvOptions) n.options()).bias() && Where.trainable(n)
                && n.shape().size() / n.shape().dim(0) > 1).toList();
        if (biased.isEmpty()) {
            return Applicability.no("no trainable convolution with a bias and more than one output position");
        }
        boolean free = biased.stream().anyMatch(n -> n.activation() != null || n.softmax()
                || Where.readers(g, n).stream().anyMatch(r -> r.options().type() != LayerType.BATCH_NORM));
        return free ? Applicability.yes() : Applicability.no("every convolution bias feeds a batch norm: its gradient is"
                + " exactly 0, and so is any multiple of it");
    }

    private static Applicability embeddingShows(GraphNetwork g) {
        List<GraphNode> e = Where.layers(g, LayerType.EMBEDDING);
        if (e.isEmpty()) {
            return Applicability.no("no embedding");
        }
        if (e.stream().noneMatch(Where::trainable)) {
            return Applicability.no("the embedding is frozen");
        }
        return g.inputShape().dim(0) >= 2 ? Applicability.yes()
                : Applicability.no("one position per example: no id can repeat within an example");
    }

    private static Applicability recurrentShows(GraphNetwork g) {
        return recurrentShows(g, null, 2);
    }

    private static Applicability recurrentShows(GraphNetwork g, LayerType type) {
        return recurrentShows(g, type, 2);
    }

    /** A recurrent layer (of the type, or any) over at least {@code minSteps} steps, trainable at or below it. */
    private static Applicability recurrentShows(GraphNetwork g, LayerType type, int minSteps) {
        List<GraphNode> r = g.nodes().stream().filter(n -> type == null ? recurrent(n) : n.options().type() == type)
                .toList();
        String what = type == null ? "recurrent layer" : type.yamlName();
        if (r.isEmpty()) {
            return Applicability.no("no " + what);
        }
        List<GraphNode> longer = r.stream().filter(n -> WrongBackward.inputShapes(g, n).get(0).dim(0) >= minSteps)
                .toList();
        if (longer.isEmpty()) {
            return Applicability.no("one time step: nothing to carry back");
        }
        return longer.stream().anyMatch(n -> Where.trainable(n) || Where.trainableBelow(g, n)) ? Applicability.yes()
                : Applicability.no("the " + what + " layers are frozen and nothing below them is trainable");
    }

    private static Applicability attentionShows(GraphNetwork g) {
        List<GraphNode> a = Where.layers(g, LayerType.ATTENTION);
        if (a.isEmpty()) {
            return Applicability.no("no attention layer");
        }
        List<GraphNode> wide = a.stream().filter(n -> headWidth(g, n) > 1).toList();
        if (wide.isEmpty()) {
            return Applicability.no("head width d = 1: 1/sqrt(d) is 1");
        }
        return wide.stream().anyMatch(n -> Where.trainable(n) || Where.trainableBelow(g, n)) ? Applicability.yes()
                : Applicability.no("the attention layers are frozen and nothing below them is trainable");
    }

    private static Applicability attentionSeesTwoKeys(GraphNetwork g) {
        List<GraphNode> a = Where.layers(g, LayerType.ATTENTION);
        if (a.isEmpty()) {
            return Applicability.no("no attention layer");
        }
        List<GraphNode> longer = a.stream().filter(n -> WrongBackward.inputShapes(g, n).get(0).dim(0) >= 2).toList();
        if (longer.isEmpty()) {
            return Applicability.no("one step: every query sees one key, whose weight is 1");
        }
        return longer.stream().anyMatch(n -> Where.trainable(n) || Where.trainableBelow(g, n)) ? Applicability.yes()
                : Applicability.no("the attention layers are frozen and nothing below them is trainable");
    }

    private static int headWidth(GraphNetwork g, GraphNode n) {
        return WrongBackward.inputShapes(g, n).get(0).dim(1) / ((AttentionOptions) n.options()).heads();
    }

    /** Input j of an add is its skip when it also feeds (is upstream of) another of its inputs; −1 if none. */
    static int skip(GraphNetwork g, GraphNode add) {
        int[] in = add.inputs();
        for (int j = 0; j < in.length; j++) {
            for (int k = 0; k < in.length; k++) {
                if (k != j && in[j] != in[k] && Where.upstream(g, in[j], in[k])) {
                    return j;
                }
            }
        }
        return -1;
    }

    private static Applicability skipShows(GraphNetwork g) {
        List<GraphNode> adds = Where.layers(g, LayerType.ADD);
        if (adds.isEmpty()) {
            return Applicability.no("no add layer");
        }
        List<GraphNode> residual = adds.stream().filter(n -> skip(g, n) >= 0).toList();
        if (residual.isEmpty()) {
            return Applicability.no("no add joins a skip with a branch from it");
        }
        return residual.stream().anyMatch(n -> Where.trainableBelow(g, n, skip(g, n))) ? Applicability.yes()
                : Applicability.no("every skip comes from the network's input or frozen layers: its gradient reaches "
                + "no checked parameter");
    }
}
