package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.generator.StyleGenerator;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import io.vcex.core.provenance.Hashing;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The latent codes a mapper is trained on: CF-CLIP trains on W+ codes of real faces inverted by an
 * encoder (CelebA-HQ through e4e) and on randomly sampled codes for other domains (sec. 5.1.3).
 * Each step draws {@code batch} codes from the pool.
 *
 * @param codes count x (numWs wDim) values
 * @param numWs rows of a code
 * @param wDim length of a row
 * @param origin how the codes were made, for provenance
 */
public record LatentPool(float[][] codes, int numWs, int wDim, String origin) {

    /** Checks the shapes. */
    public LatentPool {
        if (codes.length == 0) {
            throw new VcexException("A latent pool needs at least one code");
        }
        for (float[] c : codes) {
            if (c.length != numWs * wDim) {
                throw new VcexException("A latent code has " + c.length + " values, expected " + numWs + " x " + wDim);
            }
        }
    }

    /**
     * @param ctx scopes and progress
     * @param generator the style generator, whose encoder inverts the images
     * @param images images of the generator's size
     * @param batch images per encoder call
     * @param origin how the images were made, for provenance
     * @return their W+ codes
     */
    public static LatentPool encode(VcexContext ctx, StyleGenerator generator, List<ImageData> images, int batch, String origin) {
        float[][] codes = new float[images.size()][];
        int numWs = generator.numWs();
        int wDim = generator.wDim();
        try (Progress.Task task = ctx.progress().start("encoding " + images.size() + " image(s) into W+", images.size())) {
            for (int from = 0; from < images.size(); from += batch) {
                int to = Math.min(images.size(), from + batch);
                for (int i = from; i < to; i++) {
                    generator.imageSpec().require(images.get(i), "image " + (i + 1));
                }
                try (NDManager scope = ctx.newScope()) {
                    NDArray w = generator.encode(ImageTensors.toBatch(scope, images.subList(from, to), ValueRange.UNIT));
                    float[] v = w.toFloatArray();
                    for (int i = from; i < to; i++) {
                        codes[i] = java.util.Arrays.copyOfRange(v, (i - from) * numWs * wDim, (i - from + 1) * numWs * wDim);
                    }
                }
                task.step(to - from);
            }
        }
        return new LatentPool(codes, numWs, wDim, "encoded " + images.size() + " " + origin);
    }

    /**
     * @param ctx scopes
     * @param generator the style generator
     * @param count how many codes
     * @param truncation psi
     * @param rng the stream
     * @return codes sampled from the generator's prior
     */
    public static LatentPool sample(VcexContext ctx, StyleGenerator generator, int count, float truncation, Rng rng) {
        try (NDManager scope = ctx.newScope()) {
            NDArray w = generator.sampleWPlus(scope, rng, count, truncation);
            int size = generator.numWs() * generator.wDim();
            float[] v = w.toFloatArray();
            float[][] codes = new float[count][];
            for (int i = 0; i < count; i++) {
                codes[i] = java.util.Arrays.copyOfRange(v, i * size, (i + 1) * size);
            }
            return new LatentPool(codes, generator.numWs(), generator.wDim(), "sampled " + count + " codes, truncation "
                    + truncation + ", seed " + rng.seed());
        }
    }

    /** @return how many codes */
    public int size() {
        return codes.length;
    }

    /**
     * @param scope scope of the result
     * @param rows which codes
     * @return those codes, rows.length x numWs x wDim
     */
    public NDArray batch(NDManager scope, int[] rows) {
        int size = numWs * wDim;
        float[] v = new float[rows.length * size];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(codes[rows[i]], 0, v, i * size, size);
        }
        return scope.create(v, new Shape(rows.length, numWs, wDim));
    }

    /** @return SHA-256 of the values, so a checkpoint is resumed only on the same codes */
    public String sha256() {
        ByteBuffer b = ByteBuffer.allocate(codes.length * numWs * wDim * 4);
        for (float[] c : codes) {
            for (float x : c) {
                b.putFloat(x);
            }
        }
        return Hashing.sha256(b.array());
    }
}
