package io.vcex.zoo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.classifier.BlackBoxClassifier;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageSpec;
import io.vcex.zoo.data.ImagePool;
import io.vcex.zoo.nn.FeatureBlock;
import io.vcex.zoo.nn.Net;
import java.nio.file.Path;

/**
 * Softmax classifiers of any labelled image set over the zoo's backbone ({@link FeatureBlock}),
 * trained with cross-entropy by the resumable {@link TrainLoop}: what {@code vcex train classifier}
 * and the zoo's {@code mnist-net} share.
 */
public final class ClassifierTraining {
    /** Position of the head's logits in a {@link FeatureBlock}'s outputs (after five stages and the pool). */
    private static final int HEAD = 6;

    private ClassifierTraining() {
    }

    /**
     * @param ctx the context whose scope owns the weights
     * @param width backbone width w (stages w, 2w, 2w, 4w, 4w)
     * @param classes number of classes (logits)
     * @param input the images
     * @param seed seeds the weights (stream "init")
     * @return a fresh network
     */
    public static Net network(VcexContext ctx, int width, int classes, ImageSpec input, long seed) {
        return new Net(new FeatureBlock(width, classes), ctx.manager(), new Rng(seed).derive("init"),
                new Shape(1, input.channels(), input.height(), input.width()));
    }

    /**
     * Trains (or resumes) the network: each step a batch drawn with replacement by the stream
     * {@code batch} of {@code seed}, derived by step, so an interrupted run resumes exactly.
     *
     * @param ctx progress and scopes
     * @param label progress label
     * @param net a network from {@link #network}
     * @param images the training images
     * @param classes the class index of each image
     * @param settings optimisation
     * @param seed seeds the batches
     * @param checkpointDir where checkpoints go
     * @param configHash identifies the run; a checkpoint of another run is not resumed
     * @return what the loop did
     */
    public static TrainLoop.Outcome train(VcexContext ctx, String label, Net net, ImagePool images, int[] classes,
            TrainSettings settings, long seed, Path checkpointDir, String configHash) {
        if (images.size() != classes.length || images.size() == 0) {
            throw new VcexException("Training needs one class per image and at least one image; got " + images.size()
                    + " images and " + classes.length + " classes");
        }
        Rng batches = new Rng(seed).derive("batch");
        return TrainLoop.run(ctx, label, net, settings, checkpointDir, configHash, new TrainLoop.Objective<NDArray[]>() {
            @Override
            public NDArray[] batch(NDManager scope, int step) {
                Rng r = batches.derive(step);
                int[] idx = new int[settings.batch()];
                float[] y = new float[idx.length];
                for (int b = 0; b < idx.length; b++) {
                    idx[b] = r.nextInt(images.size());
                    y[b] = classes[idx[b]];
                }
                return new NDArray[] {images.batch(scope, idx), scope.create(y)};
            }

            @Override
            public NDArray loss(NDManager scope, int step, NDArray[] b) {
                return Losses.crossEntropy(net.forward(true, b[0]).get(HEAD), b[1]);
            }
        });
    }

    /**
     * @param ctx progress and scopes
     * @param classifier a classifier of the pool's images
     * @param images the images
     * @param classes their class indices
     * @param label progress label
     * @return the share whose arg-max class is right
     */
    public static double accuracy(VcexContext ctx, BlackBoxClassifier classifier, ImagePool images, int[] classes, String label) {
        int[] predicted = predict(ctx, classifier, images, label);
        int ok = 0;
        for (int i = 0; i < predicted.length; i++) {
            ok += predicted[i] == classes[i] ? 1 : 0;
        }
        return predicted.length == 0 ? Double.NaN : (double) ok / predicted.length;
    }

    /**
     * @param ctx progress and scopes
     * @param classifier a classifier of the pool's images
     * @param images the images
     * @param label progress label
     * @return the arg-max class of every image
     */
    public static int[] predict(VcexContext ctx, BlackBoxClassifier classifier, ImagePool images, String label) {
        int[] out = new int[images.size()];
        try (Progress.Task task = ctx.progress().start(label, images.size())) {
            for (int from = 0; from < images.size(); from += 200) {
                int to = Math.min(images.size(), from + 200);
                int[] idx = new int[to - from];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = from + i;
                }
                try (NDManager scope = ctx.newScope()) {
                    var s = classifier.scores(images.batch(scope, idx));
                    for (int i = 0; i < idx.length; i++) {
                        out[from + i] = s.predicted(i);
                    }
                }
                task.step(to - from);
            }
        }
        return out;
    }
}
