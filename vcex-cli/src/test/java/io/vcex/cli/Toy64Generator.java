package io.vcex.cli;

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
 * A tiny style generator of 3 x 64 x 64 images for the command-line tests (the shipped one is
 * large): as the methods' toy, coarse channel c colours plane c of the top half and fine channel c
 * the bottom half, image = 0.5 + 0.1 * style, so the zoo's classifiers and MiniCLIP can read it.
 */
final class Toy64Generator implements StyleGenerator {
    @Override
    public ModelInfo info() {
        return ModelInfo.inMemory("toy64");
    }

    @Override
    public ImageSpec imageSpec() {
        return new ImageSpec(3, 64, 64);
    }

    @Override
    public List<StyleLayer> styleLayers() {
        return List.of(new StyleLayer("coarse", 3, 4), new StyleLayer("fine", 3, 64));
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
        float[] top = new float[64];
        float[] bottom = new float[64];
        for (int y = 0; y < 64; y++) {
            top[y] = y < 32 ? 1 : 0;
            bottom[y] = y < 32 ? 0 : 1;
        }
        NDArray ones = m.ones(new Shape(1, 1, 1, 64));
        NDArray a = coarse.reshape(n, 3, 1, 1).mul(m.create(top).reshape(1, 1, 64, 1).mul(ones));
        NDArray b = fine.reshape(n, 3, 1, 1).mul(m.create(bottom).reshape(1, 1, 64, 1).mul(ones));
        return a.add(b).mul(0.1f).add(0.5f);
    }

    @Override
    public NDArray encode(NDArray images) {
        throw new UnsupportedOperationException("not needed by ZOOM");
    }
}
