package io.vcex.data.dataset;

import io.vcex.core.VcexHome;
import java.nio.file.Path;

/**
 * The MNIST handwritten digits (LeCun, Cortes and Burges, {@code http://yann.lecun.com/exdb/mnist/}):
 * 60,000 training and 10,000 test images, 1x28x28, white ink on black, label key
 * {@value IdxDataset#LABEL} with the digit 0 to 9.
 *
 * <p>The four gzip IDX files are vendored in {@code data/mnist/} under the vcex home (see
 * {@code data/mnist/README.md} for their source and licence); before reading, each file's SHA-256
 * is checked against {@code data/mnist/SHA256SUMS}, so a damaged or swapped file is an error
 * rather than silently wrong data. Every call reads the files anew; keep the result if you need
 * it again.
 */
public final class Mnist {
    /** The folder under the vcex home that holds the files. */
    public static final String FOLDER = "data/mnist";
    /** Number of training images. */
    public static final int TRAIN_SIZE = 60_000;
    /** Number of test images. */
    public static final int TEST_SIZE = 10_000;

    private Mnist() {
    }

    /** @return the folder the no-argument methods read, {@value #FOLDER} under the vcex home */
    public static Path defaultFolder() {
        return VcexHome.resolve(FOLDER);
    }

    /** @return the 60,000 training images, named {@code mnist-train} */
    public static IdxDataset train() {
        return train(defaultFolder());
    }

    /** @return the 10,000 test images, named {@code mnist-test} */
    public static IdxDataset test() {
        return test(defaultFolder());
    }

    /**
     * @param folder a folder with the MNIST files and their {@code SHA256SUMS}
     * @return the 60,000 training images
     */
    public static IdxDataset train(Path folder) {
        return read(folder, "mnist-train", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz");
    }

    /**
     * @param folder a folder with the MNIST files and their {@code SHA256SUMS}
     * @return the 10,000 test images
     */
    public static IdxDataset test(Path folder) {
        return read(folder, "mnist-test", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
    }

    private static IdxDataset read(Path folder, String name, String imagesFile, String labelsFile) {
        Sha256Sums sums = Sha256Sums.read(folder);
        byte[] images = sums.readVerified(imagesFile);
        byte[] labels = sums.readVerified(labelsFile);
        return IdxDataset.fromBytes(name, images, folder.resolve(imagesFile), labels, folder.resolve(labelsFile));
    }
}
