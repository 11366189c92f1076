package io.vcex.zoo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.vcex.core.image.ImageTensors;
import java.util.ArrayList;
import java.util.List;

/**
 * A small StyleGAN2-like generator (Karras et al. 2020) and its encoder in one block, so they train,
 * save and load together.
 *
 * <p>Synthesis: a learned 4x4 constant, then per resolution 4, 8, ..., side two 3x3 modulated
 * convolutions (one at 4x4), the first after a bilinear 2x up-sampling, each followed by leaky ReLU,
 * and a 1x1 modulated toRGB whose output is added to the up-sampled RGB of the coarser resolutions
 * (the "skip" generator). Each modulated layer i reads one w vector w_{k(i)} of the W+ code and
 * turns it into style channels s_i = 1 + A_i w_{k(i)} (one per input channel; A_i affine): this is
 * StyleSpace (Wu et al. 2021). A convolution scales its input channels by s, convolves, and
 * demodulates each output channel j by sigma_j = sqrt(sum_{i,k} (s_i w_ijk)^2 + eps) (Karras et al.
 * 2020, eq. 1-3), which equals convolving with the modulated and demodulated weights. W+ indices
 * follow StyleGAN: convolution c reads w_c, a toRGB reads the index after its resolution's last
 * convolution, so there are (convolutions + 1) w vectors. No noise inputs: the generator is
 * deterministic.
 *
 * <p>Encoder (the e4e role, Tov et al. 2021): stride-2 conv-GN-leaky stages down to 4x4, a 1x1
 * convolution, and a linear map to one shared w and one offset per W+ index: w_k = w + delta_k.
 * Training penalises the offsets so that codes stay near single w vectors, as e4e does.
 *
 * <p>The block also stores the fitted prior over W+ (mean and a Cholesky factor of the
 * covariance of the training images' codes), fixed after training; see {@code StyleNet}.
 *
 * <p>Calls: one rank-4 input (images in [-1, 1]) encodes, giving (W+, offsets); one rank-3 input
 * (W+, N x numWs x wDim) gives the style channels, one array per layer; as many inputs as layers
 * (the styles) synthesises an RGB image in [-1, 1] (not clipped).
 */
public final class StyleNetBlock extends AbstractBlock {
    private static final float LEAK = 0.2f;
    /** Leaky ReLU gain that keeps activations' scale (StyleGAN's sqrt 2). */
    private static final float ACT_GAIN = (float) Math.sqrt(2);
    private static final float DEMOD_EPS = 1e-8f;

    /**
     * One modulated layer.
     *
     * @param name StyleGAN-style name, for example "b16.conv0"
     * @param rgb true for a toRGB (1x1, no demodulation)
     * @param up true when the layer up-samples its input first
     * @param in input channels (= style channels)
     * @param out output channels
     * @param resolution the feature-map side it produces
     * @param wIndex the W+ index it reads
     */
    public record Layer(String name, boolean rgb, boolean up, int in, int out, int resolution, int wIndex) {
    }

    private final int wDim;
    private final int numWs;
    private final List<Layer> layers = new ArrayList<>();
    private final Parameter constant;
    private final float constantGain;
    private final Parameter inputWeight;
    private final List<Parameter> weights = new ArrayList<>();
    private final List<Parameter> biases = new ArrayList<>();
    private final List<Parameter> affineWeights = new ArrayList<>();
    private final List<Parameter> affineBiases = new ArrayList<>();
    private final Parameter priorMean;
    private final Parameter priorFactor;
    private final Block encoder;

    /**
     * @param widths channels per resolution 4, 8, 16, ... (the output side is 4 * 2^(length - 1))
     * @param wDim length of one w vector
     * @param encoderHead channels of the encoder's last 1x1 convolution (its code is 16 x this)
     */
    public StyleNetBlock(List<Integer> widths, int wDim, int encoderHead) {
        super((byte) 1);
        this.wDim = wDim;
        int w = 0;
        layers.add(new Layer("b4.conv1", false, false, widths.get(0), widths.get(0), 4, w++));
        layers.add(new Layer("b4.torgb", true, false, widths.get(0), 3, 4, w));
        for (int r = 1; r < widths.size(); r++) {
            int res = 4 << r;
            layers.add(new Layer("b" + res + ".conv0", false, true, widths.get(r - 1), widths.get(r), res, w++));
            layers.add(new Layer("b" + res + ".conv1", false, false, widths.get(r), widths.get(r), res, w++));
            layers.add(new Layer("b" + res + ".torgb", true, false, widths.get(r), 3, res, w));
        }
        numWs = w + 1;
        constant = addParameter(Parameter.builder().setName("constant").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, widths.get(0), 4, 4)).build());
        // Kaiming-uniform init gives std sqrt(2 / fan_in); the constant is used at unit scale
        constantGain = (float) Math.sqrt(widths.get(0) * 16 / 2.0);
        inputWeight = addParameter(Parameter.builder().setName("input_weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(widths.get(0) * 16L, widths.get(0))).build());
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            int k = l.rgb() ? 1 : 3;
            String p = "l" + i + "_";
            weights.add(addParameter(Parameter.builder().setName(p + "weight").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(l.out(), l.in(), k, k)).build()));
            biases.add(addParameter(Parameter.builder().setName(p + "bias").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(l.out())).build()));
            affineWeights.add(addParameter(Parameter.builder().setName(p + "affine_weight").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(l.in(), wDim)).build()));
            affineBiases.add(addParameter(Parameter.builder().setName(p + "affine_bias").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(l.in())).build()));
        }
        int d = numWs * wDim;
        priorMean = addParameter(Parameter.builder().setName("prior_mean").setType(Parameter.Type.OTHER)
                .optShape(new Shape(d)).optInitializer(Initializer.ZEROS).optRequiresGrad(false).build());
        priorFactor = addParameter(Parameter.builder().setName("prior_factor").setType(Parameter.Type.OTHER)
                .optShape(new Shape(d, d)).optInitializer(Initializer.ZEROS).optRequiresGrad(false).build());
        encoder = addChildBlock("encoder", encoder(widths, wDim, numWs, encoderHead));
    }

    private static Block encoder(List<Integer> widths, int wDim, int numWs, int head) {
        SequentialBlock b = new SequentialBlock();
        int levels = widths.size();
        // stage r works at side / 2^r with the synthesis width of that resolution
        for (int r = 0; r < levels; r++) {
            int width = widths.get(levels - 1 - r);
            int stride = r == 0 ? 1 : 2;
            b.add(Conv2d.builder().setFilters(width).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                    .optStride(new Shape(stride, stride)).build());
            b.add(GroupNorm.of(width));
            b.add(new LambdaBlock(x -> new NDList(Activation.leakyRelu(x.singletonOrThrow(), LEAK))));
        }
        b.add(Conv2d.builder().setFilters(head).setKernelShape(new Shape(1, 1)).build());
        b.add(new LambdaBlock(x -> new NDList(Activation.leakyRelu(x.singletonOrThrow(), LEAK))));
        b.add(ai.djl.nn.Blocks.batchFlattenBlock());
        return b.add(Linear.builder().setUnits((long) (numWs + 1) * wDim).build());
    }

    /** @return the modulated layers in synthesis order */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    /** @return the length of a w vector */
    public int wDim() {
        return wDim;
    }

    /** @return how many w vectors a W+ code has */
    public int numWs() {
        return numWs;
    }

    /** @return the fitted prior's mean over flattened W+ codes */
    public Parameter priorMean() {
        return priorMean;
    }

    /** @return the fitted prior's lower Cholesky factor L (covariance L L^T) */
    public Parameter priorFactor() {
        return priorFactor;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() == 1 && inputs.get(0).getShape().dimension() == 4) {
            return encode(ps, inputs.get(0), training);
        }
        if (inputs.size() == 1) {
            return styles(ps, inputs.get(0), training);
        }
        if (inputs.size() != layers.size()) {
            throw new IllegalArgumentException("synthesis takes " + layers.size() + " style arrays, got " + inputs.size());
        }
        return new NDList(synthesize(ps, inputs, training));
    }

    /** An array derived from a weight, moved to the scope of the call (else it would live as long as the network). */
    private static NDArray own(NDArray a, NDManager scope) {
        a.attach(scope);
        return a;
    }

    private NDList encode(ParameterStore ps, NDArray images, boolean training) {
        long n = images.getShape().get(0);
        NDArray code = encoder.forward(ps, new NDList(images), training).singletonOrThrow().reshape(n, numWs + 1, wDim);
        NDArray shared = code.get(":, 0:1, :");
        NDArray offsets = code.get(":, 1:, :");
        return new NDList(offsets.add(shared), offsets);
    }

    private NDList styles(ParameterStore ps, NDArray wPlus, boolean training) {
        long n = wPlus.getShape().get(0);
        NDList out = new NDList(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            NDArray w = wPlus.get(":, " + layers.get(i).wIndex() + ", :").reshape(n, wDim);
            NDArray a = ps.getValue(affineWeights.get(i), w.getDevice(), training);
            NDArray b = ps.getValue(affineBiases.get(i), w.getDevice(), training);
            // s_i = 1 + A_i w: a zero affine leaves the layer unmodulated
            out.add(w.getNDArrayInternal().linear(w, a, b).singletonOrThrow().add(1f));
        }
        return out;
    }

    private NDArray synthesize(ParameterStore ps, NDList styles, boolean training) {
        NDArray first = styles.get(0);
        NDManager scope = first.getManager();
        long n = first.getShape().get(0);
        int c0 = layers.get(0).in();
        // the 4x4 input: the constant plus a linear map of the first layer's styles s_0 - 1 = A_0 w_0, so the
        // layout is decoded directly from the code (StyleGAN starts from the constant alone, which trains far slower)
        NDArray constantPart = own(ps.getValue(constant, first.getDevice(), training).mul(constantGain), scope);
        NDArray layout = first.getNDArrayInternal().linear(first.sub(1f), ps.getValue(inputWeight, first.getDevice(), training), null)
                .singletonOrThrow().reshape(n, c0, 4, 4);
        NDArray x = layout.add(constantPart);
        NDArray rgb = null;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            NDArray s = styles.get(i);
            NDArray weight = ps.getValue(weights.get(i), s.getDevice(), training);
            NDArray bias = own(ps.getValue(biases.get(i), s.getDevice(), training).reshape(1, l.out(), 1, 1), scope);
            if (l.up()) {
                x = ImageTensors.upsample2x(x);
            }
            NDArray modulated = x.mul(s.reshape(n, l.in(), 1, 1));
            if (l.rgb()) {
                NDArray y = Conv2d.conv2d(modulated, weight).singletonOrThrow().add(bias);
                rgb = rgb == null ? y : ImageTensors.upsample2x(rgb).add(y);
                continue;
            }
            NDArray y = Conv2d.conv2d(modulated, weight, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
            // sigma_j^2 = sum_i s_i^2 sum_k w_ijk^2 (Karras et al. 2020, eq. 3), for each sample
            NDArray weightSquares = own(weight.square(), scope).sum(new int[] {2, 3});
            NDArray demod = s.square().matMul(weightSquares.transpose()).add(DEMOD_EPS).pow(-0.5f);
            y = y.mul(demod.reshape(n, l.out(), 1, 1)).add(bias);
            x = Activation.leakyRelu(y, LEAK).mul(ACT_GAIN);
        }
        return rgb;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (inputShapes.length == 1 && s.dimension() == 4) {
            Shape w = new Shape(s.get(0), numWs, wDim);
            return new Shape[] {w, w};
        }
        if (inputShapes.length == 1) {
            Shape[] out = new Shape[layers.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = new Shape(s.get(0), layers.get(i).in());
            }
            return out;
        }
        int side = layers.get(layers.size() - 1).resolution();
        return new Shape[] {new Shape(s.get(0), 3, side, side)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes[0]);
    }
}
