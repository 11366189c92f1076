package io.vcex.methods.zoom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.VcexException;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageData;
import io.vcex.methods.testing.ToyStyleGenerator;
import io.vcex.methods.testing.ToyTextImageEncoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Counterfactual training on the toys: a classifier of "red" that also leans on green (a spurious
 * attribute) is fine-tuned on its own green counterfactuals with their originals' labels, and
 * leans on green less afterwards.
 */
class ZoomCounterfactualTrainingTest {

    private static int truth(ImageData image) {
        double red = 0;
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                red += image.get(0, y, x);
            }
        }
        return red / (image.height() * image.width()) > 0.5 ? 1 : 0;
    }

    @Test
    void fineTuningOnGreenCounterfactualsLowersTheRelianceOnGreen() {
        try (VcexContext ctx = VcexContext.builder().seed(9).build();
                ToyModels.RedGreen model = new ToyModels.RedGreen(ctx.manager(), 20f, 20f)) {
            RelevanceMatrix m = ToyModels.fixedRelevance(ctx);
            // a box of +/-3 moves a colour mean by at most 0.21: green flips the classifier only where red is not clear
            ZoomConfig config = ToyModels.quick(24, 30).withBound(3);
            List<Attribute> green = AttributePrompts.parseList("green", 0);
            Zoom zoom = new Zoom(new ToyStyleGenerator(), model, new ToyTextImageEncoder(), m, config, null);
            List<ImageData> originals = new ArrayList<>();
            List<ImageData> cfs = new ArrayList<>();
            List<Integer> cfLabels = new ArrayList<>();
            ZoomResult before = zoom.diagnose(ctx, zoom.directions(ctx, green), (edit, original, cf) -> {
                originals.add(original);
                if (edit.flipped()) {
                    cfs.add(cf);
                    cfLabels.add(truth(original));
                }
            });
            int[] labels = originals.stream().mapToInt(ZoomCounterfactualTrainingTest::truth).toArray();
            double flipsBefore = before.summary("green").flipRate();
            assertTrue(flipsBefore > 0.5, "green flips the biased classifier: " + flipsBefore);
            int live = ctx.liveArrays();
            CounterfactualTraining.Report report = CounterfactualTraining.fineTune(ctx, model, originals, labels, cfs,
                    cfLabels.stream().mapToInt(Integer::intValue).toArray(),
                    new CounterfactualTrainingConfig(150, 16, 0.05, null, 1L));
            assertEquals(live, ctx.liveArrays(), "training frees its tensors and the weights' gradients");
            assertEquals(150, report.loss().length);
            assertTrue(report.loss()[149] < report.loss()[0], "the loss falls: " + report.loss()[0] + " -> " + report.loss()[149]);
            assertTrue(model.b() / model.a() < 0.5, "green's weight relative to red's: " + model.b() / model.a());
            ZoomResult after = zoom.diagnose(ctx, zoom.directions(ctx, green), null);
            assertTrue(after.summary("green").flipRate() < flipsBefore,
                    "green flips less often: " + after.summary("green").flipRate() + " < " + flipsBefore);
            assertTrue(after.summary("green").meanAbsDeltaP() < before.summary("green").meanAbsDeltaP());
        }
    }

    @Test
    void labelsMustFitTheImagesAndTheClasses() {
        try (VcexContext ctx = VcexContext.builder().build();
                ToyModels.RedGreen model = new ToyModels.RedGreen(ctx.manager(), 1f, 1f)) {
            ImageData img = ImageData.zeros(3, 8, 8);
            VcexException count = assertThrows(VcexException.class, () -> CounterfactualTraining.fineTune(ctx, model,
                    List.of(img), new int[] {0, 1}, List.of(img), new int[] {0}, CounterfactualTrainingConfig.defaults()));
            assertTrue(count.getMessage().contains("one label per image"), count.getMessage());
            VcexException cls = assertThrows(VcexException.class, () -> CounterfactualTraining.fineTune(ctx, model,
                    List.of(img), new int[] {0}, List.of(img), new int[] {2}, CounterfactualTrainingConfig.defaults()));
            assertTrue(cls.getMessage().contains("Label 2 is not a class of 'red-green'"), cls.getMessage());
            VcexException none = assertThrows(VcexException.class, () -> CounterfactualTraining.fineTune(ctx, model,
                    List.of(img), new int[] {0}, List.of(), new int[] {}, CounterfactualTrainingConfig.defaults()));
            assertTrue(none.getMessage().contains("no counterfactuals"), none.getMessage());
        }
    }
}
