package io.vcex.methods.dvce;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.vcex.core.context.Rng;

/**
 * Augmented copies of the denoised image whose classifier gradients DVCE averages (sec. 3.2 and
 * appendix B.6; as in blended diffusion). The first copy is the image itself. The authors draw a
 * random affine map (rotation up to 15 degrees, translation up to 10%, p = 0.7) and a random
 * perspective warp (0.7, p = 0.7); the engine has no differentiable warp (grid sampling), so each
 * other copy here is translated by a random whole-pixel shift of up to 10% of the side with
 * replicated edges (p = 0.7) and mirrored left-right (p = 0.5): differentiable and label-preserving
 * for faces (mirrored digits are not digits, so mirroring is a switch).
 *
 * @param copies number of copies (1: no augmentation)
 * @param mirror whether copies may be mirrored
 */
public record GradientAugmentation(int copies, boolean mirror) {

    /**
     * @param images N x C x H x W
     * @param rng this step's stream
     * @return (copies * N) x C x H x W, copy-major: rows k*N..k*N+N-1 are copy k
     */
    public NDArray apply(NDArray images, Rng rng) {
        if (copies == 1) {
            return images;
        }
        long h = images.getShape().get(2);
        int max = (int) Math.max(1, Math.round(0.1 * h));
        NDList out = new NDList(images);
        for (int k = 1; k < copies; k++) {
            Rng r = rng.derive(k);
            NDArray x = images;
            if (r.bernoulli(0.7)) {
                x = shift(x, r.nextInt(2 * max + 1) - max, r.nextInt(2 * max + 1) - max, max);
            }
            if (mirror && r.bernoulli(0.5)) {
                x = x.flip(3);
            }
            out.add(x);
        }
        return NDArrays.concat(out, 0);
    }

    /**
     * @param x N x C x H x W
     * @param dx shift right (negative: left)
     * @param dy shift down
     * @param pad the largest shift
     * @return x shifted, edges replicated
     */
    static NDArray shift(NDArray x, int dx, int dy, int pad) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDArray p = NDArrays.concat(new NDList(x.get(":,:,0:1,:").repeat(2, pad), x, x.get(":,:," + (h - 1) + ":,:").repeat(2, pad)), 2);
        p = NDArrays.concat(new NDList(p.get(":,:,:,0:1").repeat(3, pad), p, p.get(":,:,:," + (w - 1) + ":").repeat(3, pad)), 3);
        long top = pad - dy;
        long left = pad - dx;
        return p.get(":,:," + top + ":" + (top + h) + "," + left + ":" + (left + w));
    }
}
