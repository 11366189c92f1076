package io.vcex.methods.zoom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.generator.StyleCode;
import io.vcex.core.generator.StyleLayer;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.image.ImageTensors;
import java.util.ArrayList;
import java.util.List;

/**
 * StyleSpace arithmetic shared by the ZOOM classes: directions as per-layer tensors, the edit
 * s' = s + sum_a w_a delta_s^a (the paper's eq. 3), row selection, and matching the generator's
 * images to what a classifier or encoder reads.
 */
public final class StyleEdits {

    private StyleEdits() {
    }

    /** @return the total channel count of the layers */
    static int channels(List<StyleLayer> layers) {
        return layers.stream().mapToInt(StyleLayer::channels).sum();
    }

    /**
     * @param manager scope of the result
     * @param layers the generator's style layers
     * @param directions A directions, each one value per channel (layer by layer)
     * @return per layer, an A x channels tensor
     */
    public static List<NDArray> directionLayers(NDManager manager, List<StyleLayer> layers, float[][] directions) {
        int total = channels(layers);
        List<NDArray> out = new ArrayList<>(layers.size());
        int start = 0;
        for (StyleLayer l : layers) {
            float[] part = new float[directions.length * l.channels()];
            for (int a = 0; a < directions.length; a++) {
                if (directions[a].length != total) {
                    throw new VcexException("A style direction has " + directions[a].length + " values but the generator has "
                            + total + " style channels");
                }
                System.arraycopy(directions[a], start, part, a * l.channels(), l.channels());
            }
            out.add(manager.create(part).reshape(directions.length, l.channels()));
            start += l.channels();
        }
        return out;
    }

    /**
     * Eq. 3: s' = s + W D, layer by layer (W is rows x A, D per layer A x channels). The result
     * lives in the weights' scope (the engine puts a result in its first operand's scope).
     *
     * @param base styles, rows x channels per layer
     * @param weights rows x A edit weights (differentiable)
     * @param directions per layer A x channels
     * @return the edited styles
     */
    public static StyleCode edit(StyleCode base, NDArray weights, List<NDArray> directions) {
        List<NDArray> out = new ArrayList<>(base.layers().size());
        for (int l = 0; l < base.layers().size(); l++) {
            out.add(weights.matMul(directions.get(l)).add(base.layers().get(l)));
        }
        return new StyleCode(out);
    }

    /**
     * @param code styles of N images
     * @param rows for each output row, the image it copies
     * @return the selected rows (by a one-hot product, so it works on any engine)
     */
    public static StyleCode select(StyleCode code, int[] rows) {
        NDArray first = code.layers().get(0);
        int n = Math.toIntExact(first.getShape().get(0));
        float[] onehot = new float[rows.length * n];
        for (int r = 0; r < rows.length; r++) {
            onehot[r * n + rows[r]] = 1f;
        }
        NDArray sel = first.getManager().create(onehot).reshape(rows.length, n);
        List<NDArray> out = new ArrayList<>();
        for (NDArray layer : code.layers()) {
            out.add(sel.matMul(layer));
        }
        return new StyleCode(out);
    }

    /**
     * @param code styles
     * @return per image, its channels flattened layer by layer
     */
    public static float[][] flatten(StyleCode code) {
        List<float[][]> parts = new ArrayList<>();
        int n = 0;
        int total = 0;
        for (NDArray layer : code.layers()) {
            float[][] rows = ImageTensors.rows(layer);
            parts.add(rows);
            n = rows.length;
            total += rows.length == 0 ? 0 : rows[0].length;
        }
        float[][] out = new float[n][total];
        for (int i = 0; i < n; i++) {
            int at = 0;
            for (float[][] p : parts) {
                System.arraycopy(p[i], 0, out[i], at, p[i].length);
                at += p[i].length;
            }
        }
        return out;
    }

    /**
     * Checks that images of the generator can be given to a model, and how: the same shape, or the
     * same channels and a size that is an integer multiple (area down-sampling).
     *
     * @param generator what the generator makes
     * @param model what the model reads
     * @param what the model's role and name, for the message
     * @return the down-sampling factor (1: none)
     */
    public static int factor(ImageSpec generator, ImageSpec model, String what) {
        if (generator.equals(model)) {
            return 1;
        }
        boolean integer = generator.channels() == model.channels() && generator.height() % model.height() == 0
                && generator.width() % model.width() == 0 && generator.height() / model.height() == generator.width() / model.width();
        if (!integer) {
            throw new VcexException("The " + what + " takes images of " + model + " but the style generator makes " + generator
                    + "; they must match (or the generator's side be an integer multiple, with the same channels)");
        }
        return generator.height() / model.height();
    }

    /**
     * @param images generator images
     * @param factor from {@link #factor}
     * @return them as the model reads them
     */
    static NDArray adapt(NDArray images, int factor) {
        return ImageTensors.downsample(images, factor);
    }

    /**
     * @param x N x D
     * @return each row divided by its L2 length (zero rows stay zero)
     */
    static NDArray unitRows(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).sqrt().maximum(1e-12f));
    }
}
