package io.vcex.metrics.validity;

import io.vcex.core.image.ImageData;
import io.vcex.metrics.Evaluation;
import io.vcex.metrics.Metric;
import io.vcex.metrics.MetricResult;
import java.util.ArrayList;
import java.util.List;

/**
 * COUT, counterfactual transition (Khorram and Fuxin, CVPR 2022): order the pixels by their summed
 * absolute change over channels, insert the counterfactual's pixels into the original in that
 * order in {@code steps} equal steps, and take the area under the target class's probability curve
 * minus the area under the source class's, by the trapezoid rule over [0, 1]. In [-1, 1]; higher
 * means the change moves the decision sooner and more surely.
 *
 * @param steps insertion steps (50 in the paper)
 */
public record Cout(int steps) implements Metric {

    /** @return COUT with the paper's 50 steps */
    public static Cout standard() {
        return new Cout(50);
    }

    @Override
    public String name() {
        return "cout";
    }

    @Override
    public java.util.Set<Requirement> requires() {
        return java.util.EnumSet.of(Requirement.CLASSIFIER);
    }

    @Override
    public String description() {
        return "area between target- and source-probability curves as counterfactual pixels are inserted by "
                + "importance (" + steps + " steps); in [-1, 1], higher is better";
    }

    /**
     * @param x original
     * @param xcf counterfactual
     * @param steps number of steps
     * @return the steps + 1 images from x (0 pixels inserted) to xcf (all inserted)
     */
    public static List<ImageData> insertionPath(ImageData x, ImageData xcf, int steps) {
        int c = x.channels();
        int plane = x.height() * x.width();
        double[] change = new double[plane];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < plane; i++) {
                change[i] += Math.abs(xcf.pixels()[ch * plane + i] - x.pixels()[ch * plane + i]);
            }
        }
        Integer[] order = new Integer[plane];
        for (int i = 0; i < plane; i++) {
            order[i] = i;
        }
        // most changed first; ties by position so the order is deterministic
        java.util.Arrays.sort(order, (a, b) -> change[a] != change[b] ? Double.compare(change[b], change[a]) : a - b);
        List<ImageData> path = new ArrayList<>(steps + 1);
        float[] px = x.pixels().clone();
        int inserted = 0;
        path.add(new ImageData(c, x.height(), x.width(), px.clone()));
        for (int k = 1; k <= steps; k++) {
            int upto = (int) Math.round((double) k * plane / steps);
            for (; inserted < upto; inserted++) {
                int p = order[inserted];
                for (int ch = 0; ch < c; ch++) {
                    px[ch * plane + p] = xcf.pixels()[ch * plane + p];
                }
            }
            path.add(new ImageData(c, x.height(), x.width(), px.clone()));
        }
        return path;
    }

    /**
     * @param curve values at equally spaced points over [0, 1]
     * @return the trapezoid-rule area
     */
    public static double trapezoid(double[] curve) {
        double h = 1.0 / (curve.length - 1);
        double s = 0;
        for (int i = 1; i < curve.length; i++) {
            s += (curve[i - 1] + curve[i]) * h / 2;
        }
        return s;
    }

    @Override
    public MetricResult compute(Evaluation e) {
        int[] src = e.sourceClasses();
        int[] tgt = e.targetClasses();
        double[] v = new double[e.size()];
        try (var task = e.context().progress().start("cout (" + (steps + 1) + " queries per pair)", v.length)) {
            for (int i = 0; i < v.length; i++) {
                float[][] p = e.probabilities(insertionPath(e.originals().get(i), e.counterfactuals().get(i), steps), null);
                double[] target = new double[p.length];
                double[] source = new double[p.length];
                for (int k = 0; k < p.length; k++) {
                    target[k] = p[k][tgt[i]];
                    source[k] = p[k][src[i]];
                }
                v[i] = trapezoid(target) - trapezoid(source);
                task.step();
            }
        }
        return MetricResult.mean(name(), v);
    }
}
