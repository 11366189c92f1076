package io.vcex.data.world;

import io.vcex.core.image.ImageData;
import java.util.List;

/**
 * One face of the world: its index, ground truth, pixels, captions and split.
 *
 * @param index the face's index in its seeded world
 * @param attributes ground truth
 * @param image the rendered RGB image in [0, 1]
 * @param captions true captions
 * @param split "train", "val" or "test"
 */
public record WorldSample(int index, FaceAttributes attributes, ImageData image, List<String> captions, String split) {
}
