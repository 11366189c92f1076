package io.vcex.core.features;

import ai.djl.ndarray.NDArray;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;

/**
 * A feature network for realism and perceptual metrics: features for Frechet distances, a
 * perceptual distance, and a face-identity embedding. vcex's own is the zoo's
 * {@code feature-net}; its figures are comparable within vcex only.
 */
public interface ImageFeatures {

    /** @return name and file hashes for provenance */
    ModelInfo info();

    /** @return the images it reads (values in [0, 1]) */
    ImageSpec imageSpec();

    /**
     * @param images NCHW in [0, 1]
     * @return one feature vector per image (N x d), for Frechet distances
     */
    NDArray poolFeatures(NDArray images);

    /**
     * @param a NCHW in [0, 1]
     * @param b NCHW in [0, 1], same shape
     * @return one perceptual distance per pair (N), differentiable
     */
    NDArray perceptualDistance(NDArray a, NDArray b);

    /**
     * @param images NCHW in [0, 1]
     * @return unit-length identity embeddings (N x d)
     */
    NDArray identity(NDArray images);
}
