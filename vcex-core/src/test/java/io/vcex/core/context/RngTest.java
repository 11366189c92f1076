package io.vcex.core.context;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void derivedStreamsDependOnlyOnSeedAndLabel() {
        Rng a = new Rng(7);
        Rng b = new Rng(7);
        b.nextLong(); // draws on the parent do not move derived streams
        b.nextLong();
        assertEquals(a.derive("noise").nextLong(), b.derive("noise").nextLong());
        assertEquals(a.derive(41).nextLong(), b.derive(41).nextLong());
        assertNotEquals(a.derive("noise").nextLong(), a.derive("split").nextLong());
        assertNotEquals(a.derive(1).nextLong(), a.derive(2).nextLong());
        assertNotEquals(new Rng(8).derive("noise").nextLong(), a.derive("noise").nextLong());
    }

    @Test
    void streamsArePinnedSoResultsStayReproducibleAcrossVersions() {
        // If this fails, every seeded output of vcex (data sets, figures) changed: that needs a
        // deliberate decision and new reference figures, not a new constant here.
        Rng r = new Rng(1);
        assertEquals(PINNED_FIRST_LONG, r.nextLong());
        assertEquals(PINNED_DERIVED, new Rng(1).derive("face").derive(0).nextLong());
    }

    private static final long PINNED_FIRST_LONG = -4616330145664149646L;
    private static final long PINNED_DERIVED = 2674205921108203179L;

    @Test
    void permutationIsAPermutationAndUniformDrawsStayInRange() {
        Rng r = new Rng(3);
        int[] p = r.permutation(100);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        int[] expected = new int[100];
        Arrays.setAll(expected, i -> i);
        assertArrayEquals(expected, sorted);
        for (int i = 0; i < 1000; i++) {
            double u = r.uniform(-2, 3);
            assertTrue(u >= -2 && u < 3);
        }
    }

    @Test
    void bernoulliFrequencyMatchesItsProbability() {
        Rng r = new Rng(11);
        int hits = 0;
        for (int i = 0; i < 20000; i++) {
            hits += r.bernoulli(0.3) ? 1 : 0;
        }
        // binomial sd = sqrt(20000 * .3 * .7) = 64.8; 5 sd
        assertEquals(6000, hits, 325);
    }
}
