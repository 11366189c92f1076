package io.vcex.io.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcex.core.VcexException;
import io.vcex.core.context.VcexContext;
import io.vcex.io.Fixtures;
import io.vcex.io.ModelFolder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TorchScript encode/decode fixture against PyTorch, and the generator's description errors. */
class TorchScriptGeneratorTest {
    private static VcexContext ctx;
    private static JsonNode reference;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        ctx = VcexContext.builder().build();
        reference = Fixtures.reference().get("ts-generator");
    }

    @AfterAll
    static void close() {
        ctx.close();
    }

    /** Codes of the fixed images, and images of fixed codes mapped back from [-1, 1] to [0, 1], within 1e-4 of PyTorch's. */
    @Test
    void encodeAndDecodeMatchPyTorch() {
        try (TorchScriptGenerator g = ModelFolder.generator(ctx, Fixtures.folder("ts-generator")); NDManager scope = ctx.newScope()) {
            assertEquals(new Shape(8), g.latentShape());
            assertEquals("3x32x32", g.imageSpec().toString());
            NDArray x = Fixtures.inputs(scope, reference.get("shape"));
            Fixtures.assertClose("codes", g.encode(x).toFloatArray(), reference.get("latents"), 1);
            float[] z = new float[16];
            for (int n = 0; n < 2; n++) {
                for (int j = 0; j < 8; j++) {
                    z[n * 8 + j] = (float) Math.sin(0.7 * j + n);
                }
            }
            NDArray images = g.decode(scope.create(z, new Shape(2, 8)));
            assertEquals(new Shape(2, 3, 32, 32), images.getShape());
            Fixtures.assertClose("decoded images", images.toFloatArray(), reference.get("decoded"),
                    reference.get("decodedStride").asInt());
        }
    }

    @Test
    void descriptionsThatDoNotFitTheFileNameTheField() {
        Path method = Fixtures.copy("ts-generator", dir.resolve("method"), t -> ((ObjectNode) t.get("generator")).put("encode", "embed"));
        VcexException e = assertThrows(VcexException.class, () -> ModelFolder.generator(ctx, method));
        assertTrue(e.getMessage().contains("has no method 'embed' (the description's 'generator.encode')"), e.getMessage());
        assertTrue(e.getMessage().contains("decode") && e.getMessage().contains("encode]"), "lists the methods: " + e.getMessage());
        Path latent = Fixtures.copy("ts-generator", dir.resolve("latent"), t -> ((ObjectNode) t.get("generator")).putArray("latent")
                .add(4).add(2));
        VcexException l = assertThrows(VcexException.class, () -> ModelFolder.generator(ctx, latent));
        assertTrue(l.getMessage().contains("returned shape (1, 8) for 1 image(s), but the description's 'generator.latent' says [4, 2]"),
                l.getMessage());
        VcexException kind = assertThrows(VcexException.class, () -> ModelFolder.generator(ctx, Fixtures.folder("ts-denoiser")));
        assertTrue(kind.getMessage().contains("is a denoiser (the description's 'kind'), not a latent generator"), kind.getMessage());
    }
}
