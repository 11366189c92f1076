package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.vcex.core.context.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * StyleCLIP's latent mapper (Patashnik et al. 2021, sec. 5), M_t of CF-CLIP's eq. 10: the W+ rows
 * are split into coarse, medium and fine groups and each group has its own mapping network, shared
 * by the rows of the group. StyleCLIP's 18 rows split 4 / 4 / 10; a generator with L rows splits
 * in the same proportions, at rows round(4L/18) and round(8L/18) (L = 10 gives 2 / 2 / 6); a group
 * that comes out empty has no network.
 *
 * <p>Unlike StyleCLIP's last layer (fused leaky ReLU), the last layer here is linear and starts at
 * zero, so that a fresh mapper edits nothing (w' = w) and the residual can take either sign.
 */
final class LatentMapper {
    /** Group names, in W+ order. */
    static final String[] GROUPS = {"coarse", "medium", "fine"};

    private final int[] bounds;
    private final List<MappingNetwork> networks = new ArrayList<>();

    /**
     * @param params where the weights are created
     * @param name prefix of the parameter names
     * @param numWs L, the rows of W+
     * @param wDim the length of one row
     * @param depth layers per group network
     * @param lrMultiplier the equalised learning-rate multiplier
     * @param rng draws the weights
     */
    LatentMapper(Params params, String name, int numWs, int wDim, int depth, float lrMultiplier, Rng rng) {
        this.bounds = bounds(numWs);
        for (int g = 0; g < 3; g++) {
            networks.add(bounds[g + 1] > bounds[g]
                    ? new MappingNetwork(params, name + "." + GROUPS[g], 0, wDim, wDim, depth, lrMultiplier, true, rng.derive(g))
                    : null);
        }
    }

    /**
     * @param numWs L
     * @return {0, end of coarse, end of medium, L}: rows [b_g, b_{g+1}) form group g
     */
    static int[] bounds(int numWs) {
        int coarse = (int) Math.round(4.0 * numWs / 18);
        int medium = (int) Math.round(8.0 * numWs / 18);
        return new int[] {0, coarse, medium, numWs};
    }

    /**
     * @param x N x L x D (w, or TEM's fused e^f)
     * @return the residual N x L x D, in x's scope
     */
    NDArray forward(NDArray x) {
        long n = x.getShape().get(0);
        long d = x.getShape().get(2);
        NDList parts = new NDList();
        for (int g = 0; g < 3; g++) {
            int rows = bounds[g + 1] - bounds[g];
            if (rows == 0) {
                continue;
            }
            NDArray group = x.get(":, " + bounds[g] + ":" + bounds[g + 1] + ", :").reshape(n * rows, d);
            parts.add(networks.get(g).forward(group).reshape(n, rows, d));
        }
        return parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts, 1);
    }
}
