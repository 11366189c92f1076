package io.vcex.core.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;

/**
 * A classifier whose raw outputs are differentiable with respect to the input image, as DVCE and
 * ZOOM need. Its {@link #scores} are computed from {@link #logits} and copied out.
 */
public interface WhiteBoxClassifier extends BlackBoxClassifier {

    /**
     * The differentiable forward pass. Inside a gradient collector the result carries the graph
     * back to {@code images}.
     *
     * @param images NCHW batch in [0, 1] of the spec's shape
     * @return raw outputs (N x spec().outputs()), in the images' scope
     */
    NDArray logits(NDArray images);

    @Override
    default Scores scores(NDArray images) {
        try (NDManager scope = images.getManager().newSubManager()) {
            NDArray in = images.duplicate();
            in.attach(scope);
            float[] flat = logits(in).toFloatArray();
            int n = (int) images.getShape().get(0);
            int k = spec().outputs();
            if (flat.length != n * k) {
                throw new VcexException("Classifier '" + spec().name() + "' returned " + flat.length
                        + " outputs for " + n + " images; its spec says " + k + " per image");
            }
            float[][] raw = new float[n][k];
            for (int i = 0; i < n; i++) {
                System.arraycopy(flat, i * k, raw[i], 0, k);
            }
            return Scores.fromRaw(spec().outputKind(), raw);
        }
    }
}
