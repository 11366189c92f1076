package io.vcex.io;

import io.vcex.core.VcexHome;
import io.vcex.core.context.VcexContext;
import io.vcex.io.description.FileClassifier;
import java.nio.file.Path;

/**
 * Pretrained models made elsewhere and shipped under {@code models/} of the vcex home, each in a
 * model folder with its licence, a README (source, version, hashes, preprocessing) and a
 * description whose hashes are checked on every load.
 */
public final class BuiltInModels {

    /** The emotion model's folder under the vcex home. */
    public static final String EMOTION = "models/emotion";

    private BuiltInModels() {
    }

    /**
     * The facial-expression classifier of {@code @vladmandic/human} 3.3.6 (MIT; trained by
     * O. Arriaga et al., "Real-time Convolutional Neural Networks for Emotion and Gender
     * Classification", 2017, on FER-2013): a 64x64 grey face in [-1, 1] to a softmax over angry,
     * disgust, fear, happy, sad, surprise, neutral. It takes vcex RGB images of 3x64x64 (grey by
     * human's weights 0.2989, 0.587, 0.114) and gives the logits before the softmax.
     *
     * @param ctx the context that will own the weights
     * @return the classifier; close it to free its weights
     */
    public static FileClassifier emotion(VcexContext ctx) {
        return ModelFolder.load(ctx, emotionFolder(), true);
    }

    /** @return the emotion model's folder */
    public static Path emotionFolder() {
        return VcexHome.resolve(EMOTION);
    }
}
