package io.vcex.data.dataset;

import static io.vcex.data.dataset.Fixtures.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vcex.core.VcexHome;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.Hashing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    private static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    @TempDir
    Path tmp;

    private static void assertHas(String msg, String... parts) {
        for (String p : parts) {
            assertTrue(msg.contains(p), () -> "expected '" + p + "' in: " + msg);
        }
    }

    private void copy(String... names) throws Exception {
        for (String n : names) {
            Files.copy(Mnist.defaultFolder().resolve(n), tmp.resolve(n), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void defaultFolderIsUnderTheVcexHome() {
        assertEquals(VcexHome.locate().resolve("data/mnist"), Mnist.defaultFolder());
        assertTrue(Files.isRegularFile(Mnist.defaultFolder().resolve("README.md")));
    }

    @Test
    void testSetHasTenThousandDigitsStartingWithASeven() {
        IdxDataset test = Mnist.test();

        assertEquals("mnist-test", test.name());
        assertEquals(Mnist.TEST_SIZE, test.size());
        assertEquals(new ImageSpec(1, 28, 28), test.imageSpec());
        assertEquals(7, test.get(0).intLabel("label"));
        assertEquals(2, test.label(1));
        assertEquals(1135, test.where("label", "1").size(), "the test set has 1135 ones");
    }

    @Test
    void firstTestImageHasItsInkInTheCentre() {
        ImageData seven = Mnist.test().get(0).image();
        double ink = 0;
        double rowMoment = 0;
        double colMoment = 0;
        double border = 0;
        float max = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                float v = seven.get(0, y, x);
                assertTrue(v >= 0f && v <= 1f);
                ink += v;
                rowMoment += y * v;
                colMoment += x * v;
                max = Math.max(max, v);
                if (y < 4 || x < 4 || x >= 24) {
                    border += v;
                }
            }
        }
        assertEquals(1f, max, "white ink reaches 255/255");
        assertTrue(ink > 50, "the digit has ink: " + ink);
        assertEquals(14.0, rowMoment / ink, 1.5, "centre of mass row");
        assertEquals(14.0, colMoment / ink, 1.5, "centre of mass column");
        assertEquals(0.0, border, "no ink within 4 pixels of the top, left and right edges (the 7's stem reaches low)");
    }

    @Test
    void trainingSetHasSixtyThousandDigitsStartingWithAFive() {
        IdxDataset train = Mnist.train();
        assertEquals("mnist-train", train.name());
        assertEquals(Mnist.TRAIN_SIZE, train.size());
        assertEquals(5, train.label(0));
        assertEquals(0, train.label(1));
    }

    @Test
    void aCorruptedCopyIsRejectedWithBothHashes() throws Exception {
        copy(TEST_IMAGES, TEST_LABELS, "SHA256SUMS");
        assertEquals(Mnist.TEST_SIZE, Mnist.test(tmp).size(), "an intact copy reads");
        Path images = tmp.resolve(TEST_IMAGES);
        byte[] data = Files.readAllBytes(images);
        data[data.length / 2] ^= 0x01;
        Files.write(images, data);

        String msg = failure(() -> Mnist.test(tmp));

        assertHas(msg, images.toString(), "corrupt",
                "1a1a05eab793c14bb050b398624a11b0ffd1a2953baed553b1b9bd079e2a20be", Hashing.sha256(images));
    }

    @Test
    void aMissingFileOrChecksumListIsNamed() throws Exception {
        copy(TEST_LABELS, "SHA256SUMS");
        assertHas(failure(() -> Mnist.test(tmp)), tmp.resolve(TEST_IMAGES).toString(), "not found");
        Files.delete(tmp.resolve("SHA256SUMS"));
        assertHas(failure(() -> Mnist.test(tmp)), tmp.resolve("SHA256SUMS").toString(), "not found");
    }

    @Test
    void aFileMissingFromTheChecksumListOrABadLineIsNamed() throws Exception {
        copy(TEST_IMAGES, TEST_LABELS);
        Files.writeString(tmp.resolve("SHA256SUMS"),
                "b91679a0acfe4ba0e50a2437a903084cba1f5f92592b016a25a7dfd00455798b  " + TEST_LABELS + "\n");
        assertHas(failure(() -> Mnist.test(tmp)), "no checksum for " + TEST_IMAGES);
        Files.writeString(tmp.resolve("SHA256SUMS"), "# comment\nnot a checksum line\n");
        assertHas(failure(() -> Mnist.test(tmp)), "SHA256SUMS line 2", "not a checksum line");
    }
}
