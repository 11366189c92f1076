package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;

/**
 * CLIP-NCE, CF-CLIP's contrastive loss (sec. 4.2, eq. 4-7), as the authors' code computes it. With
 * unit image embeddings i = E_I / |E_I| and the template-averaged text embeddings of
 * {@link PromptEmbeddings}, for each augmented view of an edited image:
 * <ul>
 * <li>query Q = unit(i(I_aug) - i(I_src)) (eq. 4);</li>
 * <li>positives K_T+ = unit(T_tgt - T_src) and K_I+ = unit(T_tgt - i(I_src)) (eq. 5);</li>
 * <li>negatives K-_j = unit(T_src,j - i(I_src)), one per template j (eq. 6);</li>
 * <li>L = -log(e^{Q.K_T+/tau} / (e^{Q.K_T+/tau} + sum_j e^{Q.K-_j/tau})) - log(same with K_I+)
 * (eq. 7), averaged over views and images; tau = 0.1.</li>
 * </ul>
 */
public final class ClipNceLoss implements ClipLoss {
    private final double temperature;

    /** @param temperature tau of eq. 7 (0.1) */
    public ClipNceLoss(double temperature) {
        if (!(temperature > 0)) {
            throw new VcexException("The CLIP-NCE temperature must be positive, got " + temperature);
        }
        this.temperature = temperature;
    }

    @Override
    public String name() {
        return "nce";
    }

    @Override
    public NDArray loss(NDArray edited, NDArray source, PromptEmbeddings prompts) {
        long views = ClipLoss.views(edited, source);
        long b = edited.getShape().get(0);
        int e = prompts.dim();
        int m = prompts.templates();
        NDManager scope = edited.getManager();
        NDArray src = ClipLoss.perView(ClipLoss.unit(source), views); // i(I_src) per view, B x E
        NDArray q = ClipLoss.unit(ClipLoss.unit(edited).sub(src)); // eq. 4
        NDArray tgt = scope.create(prompts.target(), new Shape(1, e));
        NDArray kT = ClipLoss.unit(tgt.sub(scope.create(prompts.source(), new Shape(1, e)))); // K_T+, 1 x E
        NDArray kI = ClipLoss.unit(tgt.sub(src)); // K_I+, B x E
        float[] flat = new float[m * e];
        for (int j = 0; j < m; j++) {
            System.arraycopy(prompts.sourcePerTemplate()[j], 0, flat, j * e, e);
        }
        NDArray kNeg = ClipLoss.unit(scope.create(flat, new Shape(1, m, e)).sub(src.reshape(b, 1, e))); // K-, B x M x E
        return infoNce(q, kT, kI, kNeg, temperature);
    }

    /**
     * Eq. 7 for given unit vectors.
     *
     * @param q queries, B x E
     * @param kT the first positive, B x E or 1 x E
     * @param kI the second positive, B x E or 1 x E
     * @param kNeg negatives, B x M x E
     * @param tau the temperature
     * @return the mean over the B queries of the sum of the two InfoNCE terms, one element, in q's scope
     */
    public static NDArray infoNce(NDArray q, NDArray kT, NDArray kI, NDArray kNeg, double tau) {
        long b = q.getShape().get(0);
        long e = q.getShape().get(1);
        float inv = (float) (1 / tau);
        NDArray neg = q.reshape(b, 1, e).mul(kNeg).sum(new int[] {2}).mul(inv); // Q.K-_j / tau, B x M
        NDArray posT = q.mul(kT).sum(new int[] {1}, true).mul(inv); // Q.K_T+ / tau, B x 1
        NDArray posI = q.mul(kI).sum(new int[] {1}, true).mul(inv); // Q.K_I+ / tau, B x 1
        // -log softmax at the positive's place, over (positive, negatives)
        NDArray termT = posT.concat(neg, 1).logSoftmax(1).get(":, 0");
        NDArray termI = posI.concat(neg, 1).logSoftmax(1).get(":, 0");
        return termT.add(termI).mean().neg();
    }
}
