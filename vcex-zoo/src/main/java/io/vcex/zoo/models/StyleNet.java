package io.vcex.zoo.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.context.Rng;
import io.vcex.core.generator.LatentGenerator;
import io.vcex.core.generator.StyleCode;
import io.vcex.core.generator.StyleGenerator;
import io.vcex.core.generator.StyleLayer;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.zoo.nn.Net;
import io.vcex.zoo.nn.StyleNetBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The zoo's style generator ({@link StyleNetBlock}) as a {@link StyleGenerator}: W+ codes to style
 * channels to 64x64 images in [0, 1], an encoder that inverts images into W+, and new codes drawn
 * from the Gaussian fitted to the W+ codes of the training images (a fitted prior instead of a GAN
 * mapping network: the generator is trained as an autoencoder, see the recipe).
 *
 * <p>It is also a {@link LatentGenerator} over W+ ({@link #asLatentGenerator()}), so GCD can search
 * for global directions in W+.
 */
public final class StyleNet implements StyleGenerator, AutoCloseable {
    private final Net net;
    private final StyleNetBlock block;
    private final ImageSpec spec;
    private final ModelInfo info;
    private final List<StyleLayer> styleLayers;
    private final NDArray mean;
    private final NDArray factorT;

    /**
     * @param net a network of a {@link StyleNetBlock}, weights loaded (prior included)
     * @param info name and hashes
     */
    public StyleNet(Net net, ModelInfo info) {
        if (!(net.block() instanceof StyleNetBlock b)) {
            throw new IllegalArgumentException("StyleNet needs a StyleNetBlock network, not " + net.block().getClass());
        }
        this.net = net;
        this.block = b;
        this.info = info;
        List<StyleNetBlock.Layer> layers = b.layers();
        int side = layers.get(layers.size() - 1).resolution();
        this.spec = new ImageSpec(3, side, side);
        List<StyleLayer> sl = new ArrayList<>();
        for (StyleNetBlock.Layer l : layers) {
            sl.add(new StyleLayer(l.name(), l.in(), l.resolution()));
        }
        this.styleLayers = List.copyOf(sl);
        this.mean = b.priorMean().getArray();
        this.factorT = b.priorFactor().getArray().transpose(); // owned by the network's scope, made once
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public ImageSpec imageSpec() {
        return spec;
    }

    @Override
    public List<StyleLayer> styleLayers() {
        return styleLayers;
    }

    @Override
    public int wDim() {
        return block.wDim();
    }

    @Override
    public int numWs() {
        return block.numWs();
    }

    /**
     * Draws from the fitted prior N(mu, L L^T) over flattened W+ and truncates towards its mean:
     * w = mu + psi L z with z ~ N(0, I) (the truncation trick of Karras et al. 2019 with w_avg = mu).
     */
    @Override
    public NDArray sampleWPlus(NDManager manager, Rng rng, int count, float truncation) {
        if (count <= 0 || !(truncation >= 0 && truncation <= 1)) {
            throw new VcexException("Style generator '" + info.name() + "': count must be positive and truncation in [0, 1], got "
                    + count + " and " + truncation);
        }
        int d = numWs() * wDim();
        NDArray z = rng.normal(manager, new Shape(count, d));
        return z.matMul(factorT).mul(truncation).add(mean).reshape(count, numWs(), wDim());
    }

    private void checkWPlus(NDArray wPlus) {
        Shape s = wPlus.getShape();
        if (s.dimension() != 3 || s.get(1) != numWs() || s.get(2) != wDim()) {
            throw new VcexException("Style generator '" + info.name() + "' takes W+ codes of shape N x " + numWs() + " x " + wDim()
                    + " but was given " + s);
        }
    }

    @Override
    public StyleCode styles(NDArray wPlus) {
        checkWPlus(wPlus);
        return new StyleCode(net.forward(false, wPlus));
    }

    @Override
    public NDArray synthesize(StyleCode styles) {
        List<NDArray> layers = styles.layers();
        if (layers.size() != styleLayers.size()) {
            throw new VcexException("Style generator '" + info.name() + "' has " + styleLayers.size() + " style layers but was given "
                    + layers.size());
        }
        long n = layers.get(0).getShape().get(0);
        NDArray[] in = new NDArray[layers.size()];
        for (int i = 0; i < in.length; i++) {
            Shape s = layers.get(i).getShape();
            if (s.dimension() != 2 || s.get(0) != n || s.get(1) != styleLayers.get(i).channels()) {
                throw new VcexException("Style layer " + styleLayers.get(i).name() + " of '" + info.name() + "' takes " + n + " x "
                        + styleLayers.get(i).channels() + " channels but was given " + s);
            }
            in[i] = layers.get(i);
        }
        return net.forward(false, in).singletonOrThrow().add(1f).div(2f).clip(0f, 1f);
    }

    /**
     * @param wPlus W+ codes
     * @return their images, in [0, 1]
     */
    public NDArray generate(NDArray wPlus) {
        return synthesize(styles(wPlus));
    }

    @Override
    public NDArray encode(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != spec.channels() || s.get(2) != spec.height() || s.get(3) != spec.width()) {
            throw new VcexException("Style generator '" + info.name() + "' encodes images of " + spec + " but was given " + s);
        }
        NDList out = net.forward(false, images.mul(2f).sub(1f));
        return out.get(0);
    }

    /**
     * @return this generator as a latent generator over flattened W+ codes (numWs * wDim floats;
     *     encode inverts, decode synthesises), as GCD searches latents
     */
    public LatentGenerator asLatentGenerator() {
        StyleNet self = this;
        return new LatentGenerator() {
            @Override
            public ModelInfo info() {
                return self.info;
            }

            @Override
            public ImageSpec imageSpec() {
                return self.spec;
            }

            @Override
            public Shape latentShape() {
                return new Shape((long) self.numWs() * self.wDim());
            }

            @Override
            public NDArray encode(NDArray images) {
                return self.encode(images).reshape(images.getShape().get(0), (long) self.numWs() * self.wDim());
            }

            @Override
            public NDArray decode(NDArray latents) {
                return self.generate(latents.reshape(latents.getShape().get(0), self.numWs(), self.wDim()));
            }
        };
    }

    /** @return the network */
    public Net net() {
        return net;
    }

    @Override
    public void close() {
        net.close();
    }
}
