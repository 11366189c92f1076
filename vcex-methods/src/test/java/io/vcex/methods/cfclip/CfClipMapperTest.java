package io.vcex.methods.cfclip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.provenance.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mapper's wiring: TEM (eq. 8-9), StyleCLIP's grouped mapper and the residual of eq. 10. */
class CfClipMapperTest {
    private static final float[] TEXT = {0.3f, -1.2f, 0.5f, 2.0f};

    private static MapperArchitecture arch(boolean tem, int numWs, double scale) {
        return new MapperArchitecture(tem, numWs, 3, 4, 4, 4, 0.01, scale);
    }

    /** Every weight set from a Gaussian stream, so that the last layers are no longer zero. */
    private static void randomise(CfClipMapper m, long seed) {
        Rng rng = new Rng(seed);
        for (NDArray p : m.parameters()) {
            float[] v = new float[Math.toIntExact(p.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextGaussian() * 30; // the stored weights are N(0, 1) / 0.01
            }
            p.set(v);
        }
    }

    @Test
    void aFreshMapperEditsNothing() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray w = new Rng(3).normal(m, new Shape(2, 5, 3));
            for (boolean tem : new boolean[] {true, false}) {
                try (CfClipMapper mapper = CfClipMapper.create(ctx.manager(), arch(tem, 5, 0.1), "t", TEXT, new Rng(1))) {
                    // the last layer of each group network starts at zero: M = 0 and w' = w
                    assertArrayEquals(new float[30], mapper.residual(w).toFloatArray(), 0f);
                    assertArrayEquals(w.toFloatArray(), mapper.edit(w).toFloatArray(), 0f);
                }
            }
        }
    }

    @Test
    void theResidualIsScaledByPointOneAndAdded() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray w = new Rng(3).normal(m, new Shape(2, 5, 3));
            for (double scale : new double[] {0.1, 1.0}) {
                try (CfClipMapper mapper = CfClipMapper.create(ctx.manager(), arch(true, 5, scale), "t", TEXT, new Rng(1))) {
                    randomise(mapper, 9);
                    float[] r = mapper.residual(w).toFloatArray();
                    float[] edited = mapper.edit(w).toFloatArray();
                    float[] w0 = w.toFloatArray();
                    double norm = 0;
                    for (int i = 0; i < r.length; i++) {
                        assertEquals(w0[i] + scale * r[i], edited[i], 1e-4, "w' = w + " + scale + " M(w, e^t) at " + i);
                        norm += r[i] * r[i];
                    }
                    assertTrue(norm > 1e-3, "the randomised mapper proposes an edit");
                }
            }
        }
    }

    @Test
    void temReadsTheTextAndEachRowOfWOnlyItsOwnRow() {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray w = new Rng(3).normal(m, new Shape(1, 5, 3));
            NDArray moved = w.duplicate();
            moved.set(new ai.djl.ndarray.index.NDIndex("0, 0, :"), m.create(new float[] {5, -5, 5}));
            try (CfClipMapper tem = CfClipMapper.create(ctx.manager(), arch(true, 5, 0.1), "t", TEXT, new Rng(1));
                    CfClipMapper other = CfClipMapper.create(ctx.manager(), arch(true, 5, 0.1), "u",
                            new float[] {-1, 0.2f, 0.1f, -0.4f}, new Rng(1));
                    CfClipMapper plain = CfClipMapper.create(ctx.manager(), arch(false, 5, 0.1), "t", TEXT, new Rng(1));
                    CfClipMapper plainOther = CfClipMapper.create(ctx.manager(), arch(false, 5, 0.1), "u",
                            new float[] {-1, 0.2f, 0.1f, -0.4f}, new Rng(1))) {
                for (CfClipMapper x : List.of(tem, other, plain, plainOther)) {
                    randomise(x, 9);
                }
                // with TEM the text embedding e^t changes the edit (eq. 8-9); without TEM it cannot
                assertFalse(Arrays.equals(tem.residual(w).toFloatArray(), other.residual(w).toFloatArray()));
                assertArrayEquals(plain.residual(w).toFloatArray(), plainOther.residual(w).toFloatArray(), 0f);
                // each row of e^f, and so of the residual, depends on its own row of w only
                for (CfClipMapper x : List.of(tem, plain)) {
                    float[] a = x.residual(w).toFloatArray();
                    float[] b = x.residual(moved).toFloatArray();
                    assertFalse(Arrays.equals(Arrays.copyOfRange(a, 0, 3), Arrays.copyOfRange(b, 0, 3)));
                    assertArrayEquals(Arrays.copyOfRange(a, 3, 15), Arrays.copyOfRange(b, 3, 15), 1e-6f);
                }
            }
        }
    }

    @Test
    void rowsSplitIntoCoarseMediumAndFineAsStyleClipsFourFourTen() {
        assertArrayEquals(new int[] {0, 4, 8, 18}, LatentMapper.bounds(18), "StyleCLIP's 18 rows: 4 / 4 / 10");
        assertArrayEquals(new int[] {0, 2, 4, 10}, LatentMapper.bounds(10), "10 rows: 2 / 2 / 6");
        assertArrayEquals(new int[] {0, 3, 6, 14}, LatentMapper.bounds(14));
        assertArrayEquals(new int[] {0, 0, 1, 2}, LatentMapper.bounds(2), "2 rows: no coarse group");
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            // rows 2 and 3 share the medium network, row 4 has the fine one: with equal rows of w,
            // rows 2 and 3 get equal residuals and row 4 another
            float[] same = new float[10 * 3];
            for (int i = 0; i < same.length; i++) {
                same[i] = (i % 3) - 0.7f;
            }
            NDArray w = m.create(same, new Shape(1, 10, 3));
            try (CfClipMapper plain = CfClipMapper.create(ctx.manager(), new MapperArchitecture(false, 10, 3, 4, 4, 4, 0.01, 0.1),
                    "t", TEXT, new Rng(1))) {
                randomise(plain, 4);
                float[] r = plain.residual(w).toFloatArray();
                assertArrayEquals(Arrays.copyOfRange(r, 6, 9), Arrays.copyOfRange(r, 9, 12), 0f);
                assertFalse(Arrays.equals(Arrays.copyOfRange(r, 9, 12), Arrays.copyOfRange(r, 12, 15)));
                assertFalse(Arrays.equals(Arrays.copyOfRange(r, 0, 3), Arrays.copyOfRange(r, 6, 9)));
            }
        }
    }

    @Test
    void parameterCountsFollowTheArchitecture() {
        try (VcexContext ctx = VcexContext.builder().build()) {
            // 2 rows of 3, e^t of 4, 4 layers: TEM text mappers 2 x (4*3+3 + 3*(3*3+3)) = 102, fusing layer 6*3+3 = 21;
            // mapper groups medium and fine (no coarse for 2 rows): 2 x 4 x (3*3+3) = 96
            try (CfClipMapper tem = CfClipMapper.create(ctx.manager(), arch(true, 2, 0.1), "t", TEXT, new Rng(1));
                    CfClipMapper plain = CfClipMapper.create(ctx.manager(), arch(false, 2, 0.1), "t", TEXT, new Rng(1))) {
                assertEquals(102 + 21 + 96, tem.parameterCount());
                assertEquals(96, plain.parameterCount());
            }
        }
    }

    @Test
    void savedMappersLoadIdenticallyAndDamageIsNamed(@TempDir Path dir) throws Exception {
        try (VcexContext ctx = VcexContext.builder().build(); NDManager m = ctx.newScope()) {
            NDArray w = new Rng(3).normal(m, new Shape(2, 5, 3));
            float[] before;
            try (CfClipMapper mapper = CfClipMapper.create(ctx.manager(), arch(true, 5, 0.1), "a red face", TEXT, new Rng(1))) {
                VcexException untrained = assertThrows(VcexException.class, () -> mapper.save(dir));
                assertTrue(untrained.getMessage().contains("not been trained"));
                randomise(mapper, 2);
                mapper.setCard(new CfClipMapper.Card(null, mapper.architecture(), mapper.targetText(), TEXT, List.of(), 0, null,
                        ModelInfo.inMemory("toy-style"), ModelInfo.inMemory("toy-clip"),
                        new TrainingReport(1, 0, 0.1, 0, Map.of(), List.of()), Provenance.of("test", "x", 1)));
                mapper.save(dir);
                before = mapper.edit(w).toFloatArray();
            }
            try (CfClipMapper loaded = CfClipMapper.load(ctx.manager(), dir)) {
                assertEquals("a red face", loaded.targetText());
                assertArrayEquals(TEXT, loaded.textEmbedding(), 0f);
                assertArrayEquals(before, loaded.edit(w).toFloatArray(), 0f);
                assertEquals(CfClipMapper.FORMAT, loaded.card().format());
                assertEquals(loaded.parameterCount(), loaded.card().parameterCount());
            }
            byte[] bytes = Files.readAllBytes(dir.resolve(CfClipMapper.PARAMS));
            bytes[bytes.length - 1] ^= 1;
            Files.write(dir.resolve(CfClipMapper.PARAMS), bytes);
            VcexException damaged = assertThrows(VcexException.class, () -> CfClipMapper.load(ctx.manager(), dir));
            assertTrue(damaged.getMessage().contains("SHA-256"), damaged.getMessage());
            VcexException missing = assertThrows(VcexException.class, () -> CfClipMapper.load(ctx.manager(), dir.resolve("none")));
            assertTrue(missing.getMessage().contains("No CF-CLIP mapper"), missing.getMessage());
            try (CfClipMapper mapper = CfClipMapper.create(ctx.manager(), arch(true, 5, 0.1), "t", TEXT, new Rng(1))) {
                VcexException shape = assertThrows(VcexException.class, () -> mapper.edit(m.zeros(new Shape(1, 4, 3))));
                assertTrue(shape.getMessage().contains("5 x 3"), shape.getMessage());
            }
        }
    }
}
