package io.vcex.zoo.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.vcex.core.VcexException;
import io.vcex.core.autograd.Gradients;
import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.image.ImageSpec;
import io.vcex.zoo.Zoo;
import io.vcex.zoo.card.ModelCard;
import io.vcex.zoo.models.DiffusionAutoencoder;
import io.vcex.zoo.models.FeatureNet;
import io.vcex.zoo.models.MiniClip;
import io.vcex.zoo.models.NetClassifier;
import io.vcex.zoo.models.NetDenoiser;
import io.vcex.zoo.models.StyleNet;
import io.vcex.zoo.nn.Net;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a zoo network for use outside vcex (another framework, a port, a speed comparison):
 * {@code parameters.json/.bin}, every parameter of the network (running statistics included) as
 * a {@link TensorArchive} under its engine name, with the model card's recipe and architecture in
 * the metadata; and, for classifiers and pixel denoisers, {@code reference.json/.bin}, fixed
 * inputs with the network's outputs and an input gradient, so a re-implementation can check itself.
 *
 * <p>Layouts are the engine's: images N x C x H x W, convolution weights (out, in, kh, kw), linear
 * weights (out, in); batch normalisation uses its running statistics (epsilon 1e-5).
 */
public final class ZooExport {
    /** Stem of the parameter archive. */
    public static final String PARAMETERS = "parameters";
    /** Stem of the reference archive. */
    public static final String REFERENCE = "reference";
    /** Images in each reference batch. */
    static final int REFERENCE_BATCH = 3;

    private ZooExport() {
    }

    /**
     * Loads a zoo model (after its hash check) and exports it.
     *
     * @param ctx the context
     * @param zoo the zoo
     * @param name the model's name
     * @param out the folder to write into
     * @return a one-line summary
     */
    public static String export(VcexContext ctx, Zoo zoo, String name, Path out) {
        ModelCard card = zoo.verified(name);
        Object model = zoo.load(ctx, name);
        try {
            return export(ctx, card, model, out);
        } finally {
            if (model instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing frees native memory; nothing to report
                }
            }
        }
    }

    /**
     * Exports a model that is already loaded.
     *
     * @param ctx the context (scopes for the reference computations)
     * @param card its card
     * @param model the loaded zoo model
     * @param out the folder to write into
     * @return a one-line summary
     */
    public static String export(VcexContext ctx, ModelCard card, Object model, Path out) {
        Net net = netOf(model, card.name());
        List<TensorArchive.Tensor> params = new ArrayList<>();
        long count = 0;
        for (Pair<String, Parameter> p : net.block().getParameters()) {
            NDArray a = p.getValue().getArray();
            params.add(new TensorArchive.Tensor(p.getKey(), a.getShape().getShape(), a.toType(DataType.FLOAT32, false).toFloatArray()));
            count += a.size();
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("model", card.name());
        meta.put("kind", card.kind());
        meta.put("architecture", card.architecture());
        meta.put("block", net.block().getClass().getSimpleName());
        meta.put("recipe", card.recipe());
        meta.put("weightsSha256", card.weightsSha256());
        meta.put("djlVersion", card.djlVersion());
        meta.put("layout", "images N x C x H x W; conv weights (out, in, kh, kw); linear weights (out, in); "
                + "batch norm in inference mode with its running statistics, epsilon 1e-5");
        if (model instanceof NetDenoiser d) {
            denoiserMeta(meta, d);
        } else if (model instanceof NetClassifier c) {
            ClassifierSpec s = c.spec();
            meta.put("input", imageMeta(s.input()));
            meta.put("classNames", s.classNames());
            meta.put("outputKind", s.outputKind().name());
            meta.put("inputRange", "[0, 1]");
        }
        TensorArchive.write(out, PARAMETERS, meta, params);
        String refs = references(ctx, model, out);
        return card.name() + ": " + params.size() + " tensors, " + count + " values -> " + out.resolve(PARAMETERS + ".json")
                + (refs == null ? "" : "; reference " + refs + " -> " + out.resolve(REFERENCE + ".json"));
    }

    private static void denoiserMeta(Map<String, Object> meta, NetDenoiser d) {
        meta.put("input", imageMeta(d.imageSpec()));
        meta.put("inputRange", "[-1, 1]");
        meta.put("condDim", d.condDim());
        meta.put("betas", d.schedule().betas());
        meta.put("timesteps", d.schedule().steps());
    }

    private static Map<String, Object> imageMeta(ImageSpec s) {
        return Map.of("channels", s.channels(), "height", s.height(), "width", s.width());
    }

    /**
     * @param model a loaded zoo model
     * @param name its name, for the message
     * @return its network
     */
    static Net netOf(Object model, String name) {
        if (model instanceof NetDenoiser d) {
            return d.net();
        } else if (model instanceof NetClassifier c) {
            return c.net();
        } else if (model instanceof DiffusionAutoencoder a && a.denoiser() instanceof NetDenoiser d) {
            return d.net();
        } else if (model instanceof FeatureNet f) {
            return f.net();
        } else if (model instanceof MiniClip m) {
            return m.net();
        } else if (model instanceof StyleNet s) {
            return s.net();
        }
        throw new VcexException("Zoo model '" + name + "' (" + model.getClass().getSimpleName() + ") has no network to export");
    }

    /** @return what was written, or null where the kind has no reference */
    private static String references(VcexContext ctx, Object model, Path out) {
        Rng rng = new Rng(20240601L).derive("reference");
        List<TensorArchive.Tensor> t = new ArrayList<>();
        try (NDManager scope = ctx.newScope()) {
            String what;
            if (model instanceof NetDenoiser d) {
                ImageSpec s = d.imageSpec();
                int n = REFERENCE_BATCH;
                NDArray x = rng.derive("x").normal(scope, new Shape(n, s.channels(), s.height(), s.width()));
                int last = d.schedule().steps() - 1;
                NDArray steps = scope.create(new float[] {0, last / 2, last});
                NDArray z = d.condDim() > 0 ? rng.derive("z").normal(scope, new Shape(n, d.condDim())) : null;
                NDArray eps = d.predictNoise(x, steps, z);
                NDArray w = rng.derive("w").normal(scope, eps.getShape());
                NDArray g = Gradients.of(scope, x, leaf -> d.predictNoise(leaf, steps, z).mul(w).sum());
                t.add(tensor("denoiser.x", x));
                t.add(tensor("denoiser.t", steps));
                if (z != null) {
                    t.add(tensor("denoiser.z", z));
                }
                t.add(tensor("denoiser.eps", eps));
                t.add(tensor("denoiser.w", w));
                t.add(tensor("denoiser.grad_x", g));
                what = "eps of " + n + " noisy images";
            } else if (model instanceof NetClassifier c) {
                ImageSpec s = c.spec().input();
                int n = REFERENCE_BATCH;
                NDArray x = rng.derive("x").uniform(scope, new Shape(n, s.channels(), s.height(), s.width()), 0f, 1f);
                NDArray logits = c.logits(x);
                NDArray w = rng.derive("w").normal(scope, logits.getShape());
                NDArray g = Gradients.of(scope, x, leaf -> c.logits(leaf).mul(w).sum());
                t.add(tensor("classifier.x", x));
                t.add(tensor("classifier.logits", logits));
                t.add(tensor("classifier.w", w));
                t.add(tensor("classifier.grad_x", g));
                what = "logits of " + n + " random images";
            } else {
                return null;
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("note", "grad_x is the gradient of sum(output * w) with respect to the input x");
            TensorArchive.write(out, REFERENCE, meta, t);
            return what;
        }
    }

    private static TensorArchive.Tensor tensor(String name, NDArray a) {
        return new TensorArchive.Tensor(name, a.getShape().getShape(), a.toType(DataType.FLOAT32, false).toFloatArray());
    }
}
