package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import io.vcex.core.VcexException;

/**
 * A loss in the CLIP embedding space that drives the mapper: CLIP-NCE ({@link ClipNceLoss}, the
 * method) or one of the ablation's baselines ({@link GlobalClipLoss}, {@link
 * DirectionalClipLoss}).
 */
public interface ClipLoss {

    /** @return its name: "nce", "global" or "directional" */
    String name();

    /**
     * @param edited E_I of the augmented edited images, (V N) x E, view-major (row v N + i is view v
     *     of image i), unnormalised
     * @param source E_I(I_src) of the unedited images, N x E, unnormalised
     * @param prompts the text embeddings
     * @return the mean loss over views and images, one element, in the edited embeddings' scope
     */
    NDArray loss(NDArray edited, NDArray source, PromptEmbeddings prompts);

    /**
     * @param name "nce", "global" or "directional"
     * @param temperature tau, for CLIP-NCE
     * @return the loss
     */
    static ClipLoss of(String name, double temperature) {
        return switch (name) {
            case "nce" -> new ClipNceLoss(temperature);
            case "global" -> new GlobalClipLoss();
            case "directional" -> new DirectionalClipLoss();
            default -> throw new VcexException("Unknown CLIP loss '" + name + "'; choose one of " + CfClipConfig.LOSSES);
        };
    }

    /**
     * @param x B x E (or B x M x E)
     * @return each row divided by sqrt(|row|^2 + 1e-12): unit length, and a zero row stays zero with
     *     a finite gradient (CLIP-NCE's query is zero while the edit and the views are still nothing)
     */
    static NDArray unit(NDArray x) {
        return x.div(x.square().sum(new int[] {x.getShape().dimension() - 1}, true).add(1e-12f).sqrt());
    }

    /**
     * @param source N x E
     * @param views V
     * @return the rows repeated for every view, view-major: (V N) x E
     */
    static NDArray perView(NDArray source, long views) {
        return source.tile(new long[] {views, 1});
    }

    /**
     * @param edited (V N) x E
     * @param source N x E
     * @return V, checking the shapes
     */
    static long views(NDArray edited, NDArray source) {
        long b = edited.getShape().get(0);
        long n = source.getShape().get(0);
        if (n == 0 || b % n != 0 || edited.getShape().get(1) != source.getShape().get(1)) {
            throw new VcexException("CLIP loss: " + edited.getShape() + " edited embeddings do not match " + source.getShape()
                    + " source embeddings (expected views x N rows)");
        }
        return b / n;
    }
}
