package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.context.Rng;

/**
 * CF-CLIP's augmentation (sec. 4.2, eq. 3): random perspective views of the edited image,
 * I_aug = aug(I_edit), as torchvision's {@code RandomPerspective(distortion_scale, p=1, fill=0)} in
 * the authors' code. For each view the four image corners move inward by independent amounts
 * drawn uniformly from [0, distortion * W/2] horizontally and [0, distortion * H/2] vertically;
 * the view shows the image squeezed into that quadrilateral (the projective map from the moved
 * corners back to the original ones gives, for each output pixel, where to read the input), read
 * bilinearly, with 0 outside. One view's map applies to the whole batch, as one call of the
 * torchvision transform does. Differentiable with respect to the images; the maps come from the
 * given random stream only, so the same stream gives the same views.
 */
public final class PerspectiveAugmentation {
    private final int views;
    private final double distortion;

    /**
     * @param views views per image (8 in the authors' code)
     * @param distortion the distortion scale in [0, 1] (0.5); 0 gives exact copies
     */
    public PerspectiveAugmentation(int views, double distortion) {
        if (views < 1) {
            throw new VcexException("The perspective augmentation needs at least one view, got " + views);
        }
        if (!(distortion >= 0 && distortion <= 1)) {
            throw new VcexException("The perspective distortion must lie in [0, 1], got " + distortion);
        }
        this.views = views;
        this.distortion = distortion;
    }

    /** @return views per image */
    public int views() {
        return views;
    }

    /**
     * @param images N x C x H x W
     * @param rng the stream that draws the corners
     * @return (views N) x C x H x W, view-major: row v N + i is view v of image i; in the images'
     *     scope
     */
    public NDArray apply(NDArray images, Rng rng) {
        Shape s = images.getShape();
        if (s.dimension() != 4) {
            throw new VcexException("The perspective augmentation takes an N x C x H x W batch, got " + s);
        }
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        double[][] original = {{0, 0}, {w - 1, 0}, {w - 1, h - 1}, {0, h - 1}};
        double[][] xs = new double[views][h * w];
        double[][] ys = new double[views][h * w];
        for (int v = 0; v < views; v++) {
            // output pixel -> input pixel: the map taking the moved corners back to the original ones
            Homography back = Homography.fit(corners(rng.derive(v), h, w), original);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double[] uv = back.apply(x, y);
                    xs[v][y * w + x] = uv[0];
                    ys[v][y * w + x] = uv[1];
                }
            }
        }
        return BilinearSampler.sample(images, xs, ys, h, w, false);
    }

    /**
     * @param rng the view's stream
     * @param h image height
     * @param w image width
     * @return the moved corners: top-left, top-right, bottom-right, bottom-left, each {x, y}
     */
    double[][] corners(Rng rng, int h, int w) {
        double dx = distortion * (w / 2);
        double dy = distortion * (h / 2);
        return new double[][] {
            {rng.uniform(0, 1) * dx, rng.uniform(0, 1) * dy},
            {w - 1 - rng.uniform(0, 1) * dx, rng.uniform(0, 1) * dy},
            {w - 1 - rng.uniform(0, 1) * dx, h - 1 - rng.uniform(0, 1) * dy},
            {rng.uniform(0, 1) * dx, h - 1 - rng.uniform(0, 1) * dy}};
    }
}
