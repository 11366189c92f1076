package io.vcex.zoo.recipes;

import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.config.Json;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.provenance.Hashing;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.provenance.Versions;
import io.vcex.data.dataset.Dataset;
import io.vcex.data.dataset.IdxDataset;
import io.vcex.data.dataset.Mnist;
import io.vcex.zoo.card.ModelCard;
import io.vcex.zoo.data.ImagePool;
import io.vcex.zoo.models.FeatureClassifier;
import io.vcex.zoo.nn.Net;
import io.vcex.zoo.train.ClassifierTraining;
import io.vcex.zoo.train.TrainLoop;
import io.vcex.zoo.train.TrainSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mnist-net}: the network that measures the MNIST generators, as {@code feature-net} and
 * {@code oracle} measure the faces world's: a ten-class digit classifier over the zoo's backbone
 * ({@link FeatureClassifier}), whose pooled features give the FID-like figures of
 * {@code mnist-diffusion} and whose decisions judge {@code mnist-diffae}'s semantic edits. It is
 * not Inception or LPIPS, and it is not meant to be explained (train your own with {@code vcex
 * train classifier}); its feature figures are comparable within vcex only.
 *
 * <p>Figures: accuracy on the first {@code testImages} MNIST test digits.
 */
public final class MnistNetRecipe implements Recipe<MnistNetConfig, FeatureClassifier> {
    /** The zoo name. */
    public static final String NAME = "mnist-net";

    /** @return the shipped recipe */
    public static MnistNetRecipe standard() {
        return new MnistNetRecipe();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "MNIST digit classifier whose features measure the MNIST generators (FID-like, LPIPS-like); not an explained model";
    }

    @Override
    public Class<MnistNetConfig> configType() {
        return MnistNetConfig.class;
    }

    @Override
    public MnistNetConfig defaults() {
        return new MnistNetConfig(1, Mnist.TRAIN_SIZE, Mnist.TEST_SIZE, 16, new TrainSettings(1500, 64, 2e-3, 1e-4, 0.05, 250));
    }

    @Override
    public MnistNetConfig tiny() {
        return new MnistNetConfig(1, 64, 32, 4, new TrainSettings(6, 8, 2e-3, 1e-4, 0.2, 3));
    }

    /** @return what the network takes and says: 1x28x28 digits in [0, 1], softmax over "0".."9" */
    public static ClassifierSpec spec() {
        return new ClassifierSpec(NAME, new ImageSpec(1, 28, 28), List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                OutputKind.SOFTMAX);
    }

    /**
     * @param data MNIST images
     * @param count the first this many
     * @return their digits
     */
    static int[] digits(Dataset data, int count) {
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            y[i] = Integer.parseInt(data.labels(i).get(IdxDataset.LABEL));
        }
        return y;
    }

    @Override
    public ModelCard train(VcexContext ctx, MnistNetConfig c, Path modelDir, Path workDir) {
        Dataset train = Mnist.train();
        ImagePool pool = ImagePool.of(train, 0, c.trainImages());
        int[] y = digits(train, c.trainImages());
        try (Net net = ClassifierTraining.network(ctx, c.width(), 10, spec().input(), c.seed())) {
            TrainLoop.Outcome out = ClassifierTraining.train(ctx, "training " + NAME, net, pool, y, c.train(), c.seed(),
                    workDir.resolve("checkpoint"), Recipes.configHash(c));
            long params = net.parameterCount();
            ModelCard card = Recipes.writeModel(net, modelDir, (sha, bytes) -> new ModelCard(NAME, "feature-net",
                    "Ten-class MNIST digit classifier, trained from scratch in Java on the first " + c.trainImages()
                            + " MNIST training digits with cross-entropy. It measures the MNIST generators: its pooled "
                            + "features give FID-like figures (not Inception's), its decisions judge semantic edits. "
                            + "Test figures use the first " + c.testImages() + " MNIST test digits.",
                    "conv backbone w=" + c.width() + " (5 conv-BN-ReLU stages, strides 2,2,1,2,2; channels w,2w,2w,4w,4w),"
                            + " global average pool (" + 4 * c.width() + " features), linear to 10 logits; input 1x28x28 in [0, 1]",
                    params, Json.tree(c), out.seconds(), Recipes.machine(), Map.of(), Recipes.WEIGHTS, sha, bytes,
                    params + " float32 values: digits need a small network; its accuracy is in the metrics",
                    Versions.vcex(), Versions.djl()));
            ModelCard measured = card.withMetrics(evaluate(ctx, c, modelDir));
            Recipes.writeCard(modelDir, measured);
            return measured;
        }
    }

    @Override
    public FeatureClassifier load(VcexContext ctx, MnistNetConfig c, Path modelDir) {
        Net net = ClassifierTraining.network(ctx, c.width(), 10, spec().input(), c.seed());
        net.loadForInference(modelDir.resolve(Recipes.WEIGHTS));
        ModelInfo info = new ModelInfo(NAME, Map.of(Recipes.WEIGHTS, Hashing.sha256(modelDir.resolve(Recipes.WEIGHTS))));
        return new FeatureClassifier(net, spec(), info);
    }

    @Override
    public Map<String, Double> evaluate(VcexContext ctx, MnistNetConfig c, Path modelDir) {
        Dataset test = Mnist.test();
        Map<String, Double> m = new LinkedHashMap<>();
        try (FeatureClassifier model = load(ctx, c, modelDir)) {
            m.put("test_accuracy", ClassifierTraining.accuracy(ctx, model, ImagePool.of(test, 0, c.testImages()),
                    digits(test, c.testImages()), "evaluating " + NAME));
        }
        m.put("test_count", (double) c.testImages());
        return m;
    }
}
