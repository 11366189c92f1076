package io.vcex.io.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vcex.core.VcexException;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.context.VcexContext;
import io.vcex.core.diffusion.DdimSampler;
import io.vcex.core.diffusion.NoiseSchedule;
import io.vcex.core.diffusion.ReverseProcess;
import io.vcex.io.Fixtures;
import io.vcex.io.ModelFolder;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TorchScript eps(x_t, t) fixture against PyTorch, and the denoiser's description errors. */
class TorchScriptDenoiserTest {
    private static VcexContext ctx;
    private static JsonNode reference;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        ctx = VcexContext.builder().build();
        reference = Fixtures.reference().get("ts-denoiser");
    }

    @AfterAll
    static void close() {
        ctx.close();
    }

    /** eps and d/dx_t of sum_c w_c eps_c within 1e-4 of PyTorch's, with the timesteps given as float32 and sent as int64. */
    @Test
    void noiseAndGradientsMatchPyTorch() {
        try (TorchScriptDenoiser d = ModelFolder.denoiser(ctx, Fixtures.folder("ts-denoiser")); NDManager scope = ctx.newScope()) {
            assertEquals(NoiseSchedule.linear(1000), d.schedule());
            assertEquals("3x32x32", d.imageSpec().toString());
            assertEquals(DataType.INT64, d.timestepType());
            NDArray xt = Fixtures.inputs(scope, reference.get("shape")).mul(2f).sub(1f);
            NDArray t = scope.create(new float[] {10, 500});
            int stride = reference.get("epsStride").asInt();
            Fixtures.assertClose("eps", d.predictNoise(xt, t, null).toFloatArray(), reference.get("eps"), stride);
            NDArray w = scope.create(Fixtures.floats(reference.get("weights")), new Shape(1, 3, 1, 1));
            NDArray g = Gradients.of(scope, xt, leaf -> d.predictNoise(leaf, t, null).mul(w).sum());
            Fixtures.assertClose("d eps / d x_t", g.toFloatArray(), reference.get("gradient"), reference.get("gradientStride").asInt());
            VcexException cond = assertThrows(VcexException.class, () -> d.predictNoise(xt, t, scope.zeros(new Shape(2, 4))));
            assertTrue(cond.getMessage().contains("takes no condition"), cond.getMessage());
        }
    }

    @Test
    void samplersRunOnIt() {
        try (TorchScriptDenoiser d = ModelFolder.denoiser(ctx, Fixtures.folder("ts-denoiser")); NDManager scope = ctx.newScope()) {
            DdimSampler sampler = new DdimSampler(d.schedule().respace(4), 0);
            NDArray noise = ctx.rng("noise").normal(scope, new Shape(2, 3, 32, 32));
            NDArray x0 = ReverseProcess.run(d, sampler, noise, 3, null, ctx.rng("steps"));
            assertEquals(new Shape(2, 3, 32, 32), x0.getShape());
            NDArray xT = ReverseProcess.encode(d, sampler, x0.clip(-1f, 1f), null);
            assertEquals(new Shape(2, 3, 32, 32), xT.getShape());
        }
    }

    @Test
    void descriptionsThatDoNotFitTheFileNameTheField() {
        Path grey = Fixtures.copy("ts-denoiser", dir.resolve("grey"), t -> ((ObjectNode) t.get("input")).put("channels", 1));
        VcexException e = assertThrows(VcexException.class, () -> ModelFolder.denoiser(ctx, grey));
        assertTrue(e.getMessage().contains("does not answer the documented call forward(x_t: Tensor[N, C, H, W], t: Tensor[N] of int64)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("'input'") && e.getMessage().contains("RuntimeError"), e.getMessage());
        VcexException notClassifier = assertThrows(VcexException.class, () -> ModelFolder.denoiser(ctx,
                Fixtures.folder("ts-mnist")));
        assertTrue(notClassifier.getMessage().contains("is a classifier (the description's 'kind'), not a denoiser"),
                notClassifier.getMessage());
    }
}
