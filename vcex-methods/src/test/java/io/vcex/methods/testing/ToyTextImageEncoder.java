package io.vcex.methods.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.text.TextImageEncoder;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A text-image encoder whose embedding space is colour, for tests with {@link ToyStyleGenerator}.
 *
 * <p>Embeddings have 4 values. An image embeds as (mean red - 0.5, mean green - 0.5, mean blue -
 * 0.5, 1), differentiable. A text embeds as the sum of its words' vectors: "red", "green",
 * "blue" add 1 to their colour; "face", "photo", "a", "of", "with", "the", "image" add (0, 0, 0,
 * 1); any other word is an error naming it, as with MiniCLIP.
 */
public final class ToyTextImageEncoder implements TextImageEncoder {
    private static final Map<String, float[]> WORDS = Map.of(
            "red", new float[] {1, 0, 0, 0},
            "green", new float[] {0, 1, 0, 0},
            "blue", new float[] {0, 0, 1, 0},
            "face", new float[] {0, 0, 0, 1},
            "photo", new float[] {0, 0, 0, 1},
            "image", new float[] {0, 0, 0, 1},
            "a", new float[] {0, 0, 0, 1},
            "of", new float[] {0, 0, 0, 1},
            "with", new float[] {0, 0, 0, 1},
            "the", new float[] {0, 0, 0, 1});

    @Override
    public ModelInfo info() {
        return ModelInfo.inMemory("toy-clip");
    }

    @Override
    public ImageSpec imageSpec() {
        return new ImageSpec(3, 8, 8);
    }

    @Override
    public int embeddingDim() {
        return 4;
    }

    @Override
    public NDArray embedText(NDManager manager, List<String> texts) {
        float[] out = new float[texts.size() * 4];
        for (int i = 0; i < texts.size(); i++) {
            for (String w : texts.get(i).toLowerCase(Locale.ROOT).split("[^a-z]+")) {
                if (w.isEmpty()) {
                    continue;
                }
                float[] v = WORDS.get(w);
                if (v == null) {
                    throw new VcexException("Word '" + w + "' is not in the toy encoder's vocabulary");
                }
                for (int k = 0; k < 4; k++) {
                    out[i * 4 + k] += v[k];
                }
            }
        }
        return manager.create(out).reshape(texts.size(), 4);
    }

    @Override
    public NDArray embedImage(NDArray images) {
        long n = images.getShape().get(0);
        NDArray means = images.mean(new int[] {3}).mean(new int[] {2}).sub(0.5f);
        return means.concat(images.getManager().ones(new ai.djl.ndarray.types.Shape(n, 1)), 1);
    }
}
