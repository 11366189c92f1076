package io.vcex.methods.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.context.Rng;
import io.vcex.core.generator.StyleCode;
import io.vcex.core.generator.StyleGenerator;
import io.vcex.core.generator.StyleLayer;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import java.util.List;

/**
 * A style generator whose channels have known effects, for tests of ZOOM and CF-CLIP.
 *
 * <p>Images are 3 x side x side (8 unless given). W+ has {@code numWs = 2} vectors of {@code wDim
 * = 3}. Style layer "coarse" (3 channels, resolution 4) is w_0 and layer "fine" (3 channels,
 * resolution side) is w_1 (identity affine maps). Synthesis is linear: image = 0.5 + 0.1 * (s_coarse[c] on colour
 * plane c of the top half + s_fine[c] on colour plane c of the bottom half). So coarse channel 0
 * reddens the top half, fine channel 2 blues the bottom half, and so on. {@link #encode} inverts
 * synthesis exactly for images it made (per-region colour means).
 */
public final class ToyStyleGenerator implements StyleGenerator {
    /** Pixel change per unit of a style channel. */
    public static final float GAIN = 0.1f;

    private final int side;
    private final String name;

    /** The 8 x 8 toy, named "toy-style". */
    public ToyStyleGenerator() {
        this(8, "toy-style");
    }

    /**
     * @param side image side, even (64 for the command-line tests, where the zoo's models read it)
     * @param name the model name
     */
    public ToyStyleGenerator(int side, String name) {
        this.side = side;
        this.name = name;
    }

    @Override
    public ModelInfo info() {
        return ModelInfo.inMemory(name);
    }

    @Override
    public ImageSpec imageSpec() {
        return new ImageSpec(3, side, side);
    }

    @Override
    public List<StyleLayer> styleLayers() {
        return List.of(new StyleLayer("coarse", 3, 4), new StyleLayer("fine", 3, side));
    }

    @Override
    public int wDim() {
        return 3;
    }

    @Override
    public int numWs() {
        return 2;
    }

    @Override
    public NDArray sampleWPlus(NDManager manager, Rng rng, int count, float truncation) {
        return rng.normal(manager, new Shape(count, 2, 3)).mul(truncation);
    }

    @Override
    public StyleCode styles(NDArray wPlus) {
        long n = wPlus.getShape().get(0);
        return new StyleCode(List.of(wPlus.get(":, 0, :").reshape(n, 3), wPlus.get(":, 1, :").reshape(n, 3)));
    }

    @Override
    public NDArray synthesize(StyleCode styles) {
        NDArray coarse = styles.layers().get(0);
        NDArray fine = styles.layers().get(1);
        long n = coarse.getShape().get(0);
        NDManager m = coarse.getManager();
        float[] topRows = new float[side];
        float[] bottomRows = new float[side];
        for (int y = 0; y < side; y++) {
            topRows[y] = y < side / 2 ? 1 : 0;
            bottomRows[y] = 1 - topRows[y];
        }
        NDArray top = m.create(topRows).reshape(1, 1, side, 1);
        NDArray bottom = m.create(bottomRows).reshape(1, 1, side, 1);
        NDArray ones = m.ones(new Shape(1, 1, 1, side));
        NDArray a = coarse.reshape(n, 3, 1, 1).mul(top.mul(ones));
        NDArray b = fine.reshape(n, 3, 1, 1).mul(bottom.mul(ones));
        return a.add(b).mul(GAIN).add(0.5f);
    }

    @Override
    public NDArray encode(NDArray images) {
        long n = images.getShape().get(0);
        NDArray centred = images.sub(0.5f).div(GAIN);
        NDArray top = centred.get(":, :, 0:" + side / 2 + ", :").mean(new int[] {3}).mean(new int[] {2});
        NDArray bottom = centred.get(":, :, " + side / 2 + ":" + side + ", :").mean(new int[] {3}).mean(new int[] {2});
        return top.reshape(n, 1, 3).concat(bottom.reshape(n, 1, 3), 1);
    }
}
