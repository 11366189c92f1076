package io.vcex.io.vcexnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageSpec;
import io.vcex.io.ModelFolder;
import io.vcex.io.description.FileClassifier;
import io.vcex.io.description.ModelDescription;
import io.vcex.zoo.nn.Net;
import io.vcex.zoo.train.ClassifierTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format vcex: a network of the zoo's architecture saved by vcex, loaded through its description. */
class VcexNetClassifierTest {
    @TempDir
    Path dir;

    private static final ImageSpec DIGIT = new ImageSpec(1, 28, 28);

    /** Writes a freshly initialised network (seed 3) and its description, as vcex train classifier does. */
    private Path folder(VcexContext ctx, int width) {
        Path f = dir.resolve("model-w" + width);
        try (Net net = ClassifierTraining.network(ctx, width, 2, DIGIT, 3)) {
            net.save(f.resolve("weights.params"));
        }
        ModelDescription d = VcexNetClassifier.writeDescription(f, "fours-and-nines", DIGIT, List.of("4", "9"), width,
                "weights.params");
        assertEquals("vcex", d.format());
        return f;
    }

    @Test
    void aSavedNetworkLoadsAsAWhiteBoxClassifierWithTheSameLogitsAndInputGradients() throws Exception {
        try (VcexContext ctx = VcexContext.builder().build()) {
            Path f = folder(ctx, 4);
            int before = ctx.liveArrays();
            try (FileClassifier c = ModelFolder.load(ctx, f, true); Net same = ClassifierTraining.network(ctx, 4, 2, DIGIT, 3);
                    NDManager scope = ctx.newScope()) {
                assertEquals(List.of("4", "9"), c.spec().classNames());
                assertEquals(DIGIT, c.spec().input());
                assertTrue(c.info().fileSha256().containsKey("weights.params"), c.info().toString());
                NDArray x = ctx.rng("x").uniform(scope, new Shape(3, 1, 28, 28), 0f, 1f);
                float[] expected = same.forward(false, x).get(6).toFloatArray();
                assertArrayEquals(expected, c.logits(x).toFloatArray(), 1e-5f, "the loaded network is the saved one");
                NDArray g = Gradients.of(scope, x, leaf -> c.logits(leaf).sum());
                assertEquals(new Shape(3, 1, 28, 28), g.getShape());
                assertTrue(g.abs().sum().getFloat() > 0, "input gradients flow");
                VcexException wrong = assertThrows(VcexException.class, () -> c.logits(scope.zeros(new Shape(1, 3, 28, 28))));
                assertTrue(wrong.getMessage().contains("1x28x28"), wrong.getMessage());
            }
            assertEquals(before, ctx.liveArrays(), "closing frees the weights");
        }
    }

    @Test
    void aDescriptionThatDoesNotFitTheFileIsAnErrorNamingTheNetwork() throws Exception {
        try (VcexContext ctx = VcexContext.builder().build()) {
            Path f = folder(ctx, 4);
            Path json = f.resolve(ModelDescription.FILE_NAME);
            Files.writeString(json, Files.readString(json).replace("\"width\" : 4", "\"width\" : 8"));
            VcexException e = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, f));
            assertTrue(e.getMessage().contains("network") && e.getMessage().contains("width=8"), e.getMessage());

            Path g = folder(ctx, 2);
            Files.write(g.resolve("weights.params"), new byte[] {1, 2, 3});
            VcexException corrupt = assertThrows(VcexException.class, () -> ModelFolder.load(ctx, g));
            assertTrue(corrupt.getMessage().contains("corrupt or was replaced"), corrupt.getMessage());
        }
    }
}
