package io.vcex.io.description;

import io.vcex.core.classifier.ClassifierSpec;
import io.vcex.core.classifier.OutputKind;
import io.vcex.core.config.ConfigException;
import io.vcex.core.config.Json;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageSpec;
import io.vcex.core.image.ValueRange;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What vcex needs to know to use a model file it did not train: the file's format and name, the
 * tensor the model takes, how vcex's images (RGB or grey in [0, 1], NCHW) become that tensor, and
 * what its outputs mean. Read from a {@code vcex-model.json} beside the model file, for example:
 *
 * <pre>{@code
 * {
 *   "name": "emotion",
 *   "format": "tfjs",
 *   "file": "emotion.json",
 *   "input": {"channels": 1, "height": 64, "width": 64},
 *   "range": "symmetric",
 *   "classNames": ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"],
 *   "outputKind": "SOFTMAX",
 *   "output": "StatefulPartitionedCall/model_1/global_average_pooling2d_1/Mean",
 *   "adapter": {"colour": "rgb-to-grey", "greyWeights": [0.2989, 0.587, 0.114]},
 *   "sha256": {"emotion.json": "56f7...", "emotion.bin": "927a..."}
 * }
 * }</pre>
 *
 * <p>The model's input is computed from a vcex image in this order: resize to the input's size
 * ({@link Adapter#resize()}), convert channels ({@link Adapter#colour()}), map [0, 1] to
 * {@code range}, then subtract {@code mean} and divide by {@code std} per channel. Every step is
 * a tensor operation, so gradients reach the vcex image.
 *
 * <p>A classifier behind an HTTP API has format {@code http}, no {@code file}, and an {@code
 * http} object instead ({@link HttpEndpoint}: the endpoint, timeouts, retries, rate and batch
 * bounds, headers); the same adapter and normalisation then make the values it is sent.
 *
 * <p>Formats: {@code tfjs} (a TensorFlow.js graph model, white-box), {@code torchscript} (a
 * PyTorch module saved by {@code torch.jit.trace} or {@code torch.jit.script}, white-box), {@code
 * onnx} (an ONNX model, black-box: run by ONNX Runtime, scores only), {@code http}, and {@code
 * vcex}: a classifier trained by vcex itself ({@code vcex train classifier}), white-box, whose
 * {@code file} holds the parameters of one of vcex's architectures, named by the {@code network}
 * object ({@link NetworkSettings}).
 *
 * <p>Besides classifiers ({@code kind} {@code classifier}, the default), a TorchScript file can
 * hold a {@code denoiser} (eps-prediction, with the {@code denoiser} object: its schedule and
 * timestep type) or a latent {@code generator} (encode and decode methods, with the {@code
 * generator} object: its latent shape). They have no {@code classNames}, {@code outputKind},
 * {@code output} or {@code adapter}; a denoiser's {@code range} is {@code symmetric}, as the
 * diffusion literature's, and it takes no {@code mean}/{@code std}. Their call signatures are
 * those of {@link io.vcex.io.torchscript.TorchScriptDenoiser} and {@link
 * io.vcex.io.torchscript.TorchScriptGenerator}.
 *
 * <p>Every rule is checked when the record is built; a broken one is a {@link ConfigException}
 * naming the field as written in the file ({@code adapter.colour}, {@code input.height}, ...).
 *
 * @param name the model's name, for messages and provenance
 * @param format the model's format: one of {@link #FORMATS}
 * @param file the model file, relative to the description's folder (for {@code tfjs}: its
 *     {@code model.json}; the weight shards it names are read from the same folder; for {@code
 *     torchscript} a {@code .pt}; for {@code onnx} a {@code .onnx}); absent for {@code http}
 * @param input the shape of one input image as the model takes it (channels, height, width;
 *     the layout, NCHW or NHWC, is the format's business: NHWC for {@code tfjs}, NCHW otherwise)
 * @param range the value range the model takes: {@code unit} [0, 1], {@code symmetric} [-1, 1]
 *     or {@code byte} [0, 255]
 * @param mean optional, one value per input channel, subtracted after the range mapping
 * @param std optional, one positive value per input channel, divided by after the mean
 * @param classNames one name per class, in the model's output order (classifiers only)
 * @param outputKind how the chosen output becomes probabilities (classifiers only)
 * @param output optional: which output is the raw output. {@code tfjs}: a graph node's name
 *     (default: the graph's own output), which lets a model that ends in a softmax give vcex its
 *     logits; {@code onnx}: the name of one of the graph's outputs (default: its only one); {@code
 *     torchscript}: the index of the logits in the tuple or list that {@code forward} returns
 *     (default: {@code forward} returns one tensor); not for {@code http}
 * @param adapter optional: how vcex images become the model's input (default: none, vcex images
 *     already have the input's shape); classifiers only
 * @param sha256 optional: expected SHA-256 of files under the folder, checked before loading
 * @param http for format {@code http} only, and required there: the endpoint and how to call it
 * @param kind what the model is: {@code classifier} (default), {@code denoiser} or {@code
 *     generator}
 * @param denoiser for kind {@code denoiser} only, and required there: its schedule and timestep type
 * @param generator for kind {@code generator} only, and required there: its latent shape and
 *     method names
 * @param network for format {@code vcex} only, and required there: the architecture its
 *     parameter file holds
 */
public record ModelDescription(String name, String format, String file, Shape input, String range,
        List<Double> mean, List<Double> std, List<String> classNames, OutputKind outputKind, String output,
        Adapter adapter, Map<String, String> sha256, HttpEndpoint http, String kind, DenoiserSettings denoiser,
        GeneratorSettings generator, NetworkSettings network) {

    /** The file name a description has in its model folder. */
    public static final String FILE_NAME = "vcex-model.json";

    /** Formats that have a loader. */
    public static final List<String> FORMATS = List.of("tfjs", "torchscript", "onnx", "http", "vcex");

    /** Names of {@link #kind()}. */
    public static final List<String> KINDS = List.of("classifier", "denoiser", "generator");

    /** Names of {@link #range()}. */
    public static final List<String> RANGES = List.of("unit", "symmetric", "byte");

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** Validates every field and fills the adapter's defaults. */
    public ModelDescription {
        if (name == null || name.isBlank()) {
            throw new ConfigException("name", name, "a model needs a name");
        }
        if (format == null) {
            throw new ConfigException("format", null, "is required; one of " + FORMATS);
        }
        if (!FORMATS.contains(format)) {
            throw new ConfigException("format", format, "unknown format; supported formats: " + FORMATS);
        }
        boolean remote = format.equals("http");
        if (remote) {
            if (file != null) {
                throw new ConfigException("file", file, "an http model has no model file; leave 'file' out "
                        + "and give the URL as http.endpoint");
            }
            if (http == null) {
                throw new ConfigException("http", null, "is required for format http: {\"endpoint\": URL, ...}");
            }
        } else {
            checkRelative("file", file);
            if (http != null) {
                throw new ConfigException("http", "{...}", "only for format http");
            }
        }
        if (format.equals("tfjs") && !file.toLowerCase(Locale.ROOT).endsWith(".json")) {
            throw new ConfigException("file", file, "a tfjs model is given by its model.json file");
        }
        if (format.equals("onnx") && file.toLowerCase(Locale.ROOT).endsWith(".json")) {
            throw new ConfigException("file", file, "an onnx model is given by its .onnx file");
        }
        if (format.equals("torchscript") && file.toLowerCase(Locale.ROOT).endsWith(".json")) {
            throw new ConfigException("file", file, "a torchscript model is given by the file torch.jit.save wrote (.pt)");
        }
        if (format.equals("vcex") && !file.toLowerCase(Locale.ROOT).endsWith(".params")) {
            throw new ConfigException("file", file, "a vcex model is given by its parameter file (weights.params, written "
                    + "by vcex train classifier)");
        }
        if (format.equals("vcex") && network == null) {
            throw new ConfigException("network", null, "is required for format vcex: {\"architecture\": \""
                    + NetworkSettings.CONV5 + "\", \"width\": 16}");
        }
        if (!format.equals("vcex") && network != null) {
            throw new ConfigException("network", "{...}", "only for format vcex (this model's format is " + format + ")");
        }
        if (kind == null) {
            kind = "classifier";
        }
        if (format.equals("vcex") && !kind.equals("classifier")) {
            throw new ConfigException("kind", kind, "format vcex holds classifiers only");
        }
        if (!KINDS.contains(kind)) {
            throw new ConfigException("kind", kind, "must be one of " + KINDS);
        }
        if (input == null) {
            throw new ConfigException("input", null, "is required: {\"channels\": 1 or 3, \"height\": rows, \"width\": columns}");
        }
        input.check("input");
        if (range == null || !RANGES.contains(range)) {
            throw new ConfigException("range", range, "must be one of " + RANGES);
        }
        mean = perChannel("mean", mean, input.channels(), false);
        std = perChannel("std", std, input.channels(), true);
        if (kind.equals("classifier")) {
            if (denoiser != null) {
                throw new ConfigException("denoiser", "{...}", "only for kind denoiser (this model's kind is classifier)");
            }
            if (generator != null) {
                throw new ConfigException("generator", "{...}", "only for kind generator (this model's kind is classifier)");
            }
            if (classNames == null || classNames.isEmpty()) {
                throw new ConfigException("classNames", classNames, "at least one class name is required");
            }
            if (classNames.stream().anyMatch(c -> c == null || c.isBlank())) {
                throw new ConfigException("classNames", classNames, "class names must not be blank");
            }
            if (new HashSet<>(classNames).size() != classNames.size()) {
                throw new ConfigException("classNames", classNames, "class names must be distinct");
            }
            classNames = List.copyOf(classNames);
            if (outputKind == null) {
                throw new ConfigException("outputKind", null, "is required; one of " + List.of(OutputKind.values()));
            }
            if (outputKind == OutputKind.BINARY_LOGIT && classNames.size() != 2) {
                throw new ConfigException("classNames", classNames, "a BINARY_LOGIT model needs exactly two class names");
            }
            if (output != null && remote) {
                throw new ConfigException("output", output, "an http model answers its one output; leave 'output' out");
            }
            if (output != null && output.isBlank()) {
                throw new ConfigException("output", output, "a graph node's name, or leave it out for the graph's output");
            }
            adapter = Adapter.resolve(adapter == null ? new Adapter(null, null, null, null) : adapter, input);
            if (output != null && format.equals("torchscript") && !output.matches("[0-9]{1,3}")) {
                throw new ConfigException("output", output, "for torchscript: the index (0, 1, ...) of the logits in "
                        + "the tuple or list that forward() returns");
            }
        } else {
            checkGenerative(kind, format, classNames, outputKind, output, adapter, range, mean, std, denoiser, generator);
            adapter = Adapter.resolve(new Adapter(null, null, null, null), input);
        }
        Map<String, String> hashes = new TreeMap<>();
        if (sha256 != null) {
            for (Map.Entry<String, String> e : sha256.entrySet()) {
                checkRelative("sha256", e.getKey());
                if (e.getValue() == null || !HEX64.matcher(e.getValue()).matches()) {
                    throw new ConfigException("sha256." + e.getKey(), e.getValue(), "must be 64 lower-case hex digits");
                }
                hashes.put(e.getKey(), e.getValue());
            }
        }
        sha256 = java.util.Collections.unmodifiableMap(hashes);
    }

    /**
     * @param file a {@code vcex-model.json}
     * @return the description; a missing file, bad JSON, an unknown field or a broken rule is a
     *     {@link io.vcex.core.VcexException} naming the file and the field
     */
    public static ModelDescription read(Path file) {
        return Json.read(file, ModelDescription.class);
    }

    /** @return the value range the model takes */
    public ValueRange valueRange() {
        return ValueRange.valueOf(range.toUpperCase(Locale.ROOT));
    }

    /** @return what vcex sees: the adapter's accepted image shape, the class names, the output kind */
    public ClassifierSpec spec() {
        if (!isClassifier()) {
            throw new io.vcex.core.VcexException("Model '" + name + "' is a " + kind + ", not a classifier");
        }
        return new ClassifierSpec(name, adapter.accepts().toImageSpec(), classNames, outputKind);
    }

    /** @return true for kind {@code classifier} */
    public boolean isClassifier() {
        return kind.equals("classifier");
    }

    /** The rules of denoisers and generators, which have no classes and no adapter. */
    private static void checkGenerative(String kind, String format, List<String> classNames, OutputKind outputKind,
            String output, Adapter adapter, String range, List<Double> mean, List<Double> std,
            DenoiserSettings denoiser, GeneratorSettings generator) {
        if (!format.equals("torchscript")) {
            throw new ConfigException("kind", kind, "a " + kind + " is loaded from a torchscript file; format '" + format
                    + "' holds classifiers only");
        }
        String what = "a " + kind + " has no ";
        if (classNames != null) {
            throw new ConfigException("classNames", classNames, what + "classes; leave it out");
        }
        if (outputKind != null) {
            throw new ConfigException("outputKind", outputKind, what + "class outputs; leave it out");
        }
        if (output != null) {
            throw new ConfigException("output", output, what + "choice of output: its methods return one tensor");
        }
        if (adapter != null) {
            throw new ConfigException("adapter", "{...}", what + "adapter: vcex gives it images of its input's shape");
        }
        boolean isDenoiser = kind.equals("denoiser");
        if (isDenoiser) {
            if (denoiser == null) {
                throw new ConfigException("denoiser", null, "is required for kind denoiser: {\"schedule\": \"linear\", "
                        + "\"steps\": 1000, \"timestep\": \"float32\"} (or \"betas\": [...] instead of schedule and steps)");
            }
            if (!range.equals("symmetric")) {
                throw new ConfigException("range", range, "a denoiser works on images in [-1, 1]: its range must be "
                        + "symmetric (vcex's diffusion samplers add noise in that scale)");
            }
            if (mean != null || std != null) {
                throw new ConfigException(mean != null ? "mean" : "std", mean != null ? mean : std,
                        "a denoiser takes no normalisation; leave it out");
            }
        } else if (denoiser != null) {
            throw new ConfigException("denoiser", "{...}", "only for kind denoiser (this model's kind is " + kind + ")");
        }
        if (kind.equals("generator")) {
            if (generator == null) {
                throw new ConfigException("generator", null, "is required for kind generator: {\"latent\": [size, ...], "
                        + "\"encode\": \"encode\", \"decode\": \"decode\"}");
            }
        } else if (generator != null) {
            throw new ConfigException("generator", "{...}", "only for kind generator (this model's kind is " + kind + ")");
        }
    }

    private static void checkRelative(String field, String path) {
        if (path == null || path.isBlank()) {
            throw new ConfigException(field, path, "a file name relative to the description's folder is required");
        }
        Path p = Path.of(path);
        if (p.isAbsolute() || path.startsWith("/") || path.contains("\\")) {
            throw new ConfigException(field, path, "must be relative to the description's folder");
        }
        for (Path part : p) {
            if (part.toString().equals("..")) {
                throw new ConfigException(field, path, "must stay inside the description's folder (no '..')");
            }
        }
    }

    private static List<Double> perChannel(String field, List<Double> values, int channels, boolean positive) {
        if (values == null) {
            return null;
        }
        if (values.size() != channels) {
            throw new ConfigException(field, values, "needs one value per input channel (" + channels + ")");
        }
        for (Double v : values) {
            if (v == null || !Double.isFinite(v) || (positive && v <= 0)) {
                throw new ConfigException(field, values, positive ? "values must be positive finite numbers"
                        : "values must be finite numbers");
            }
        }
        return List.copyOf(values);
    }

    /**
     * The shape of one image, channels first.
     *
     * @param channels 1 (grey) or 3 (RGB)
     * @param height rows
     * @param width columns
     */
    public record Shape(int channels, int height, int width) {

        /** @param field the field's name in messages, for example {@code input} */
        void check(String field) {
            if (channels != 1 && channels != 3) {
                throw new ConfigException(field + ".channels", channels, "must be 1 (grey) or 3 (RGB)");
            }
            if (height <= 0) {
                throw new ConfigException(field + ".height", height, "must be a positive whole number");
            }
            if (width <= 0) {
                throw new ConfigException(field + ".width", width, "must be a positive whole number");
            }
        }

        /** @return the same shape as vcex's image spec */
        public ImageSpec toImageSpec() {
            return new ImageSpec(channels, height, width);
        }
    }

    /**
     * How vcex images become the model's input. Every field is optional.
     *
     * @param accepts the vcex image shape the model is offered (default: the input's size, with 3
     *     channels for {@code rgb-to-grey}, 1 for {@code grey-to-rgb}, the input's otherwise)
     * @param colour {@code none} (default), {@code rgb-to-grey} (a weighted sum of R, G and B) or
     *     {@code grey-to-rgb} (the grey channel repeated)
     * @param greyWeights for {@code rgb-to-grey}: the weights of R, G and B (default ITU-R
     *     BT.601: 0.299, 0.587, 0.114)
     * @param resize how an accepted image of another size becomes the input's size: {@code none}
     *     (default; sizes must then agree), {@code bilinear} (half-pixel centres: TF's {@code
     *     half_pixel_centers=true}, PyTorch's {@code align_corners=false}) or {@code
     *     bilinear-legacy} (TF.js {@code resizeBilinear(x, size, false)}: source = target x scale)
     */
    public record Adapter(Shape accepts, String colour, List<Double> greyWeights, String resize) {

        /** Names of {@link #colour()}. */
        public static final List<String> COLOURS = List.of("none", "rgb-to-grey", "grey-to-rgb");

        /** Names of {@link #resize()}. */
        public static final List<String> RESIZES = List.of("none", "bilinear", "bilinear-legacy");

        static Adapter resolve(Adapter a, Shape input) {
            String colour = a.colour == null ? "none" : a.colour;
            if (!COLOURS.contains(colour)) {
                throw new ConfigException("adapter.colour", colour, "must be one of " + COLOURS);
            }
            int acceptedChannels = switch (colour) {
                case "rgb-to-grey" -> 3;
                case "grey-to-rgb" -> 1;
                default -> input.channels();
            };
            if (colour.equals("rgb-to-grey") && input.channels() != 1) {
                throw new ConfigException("adapter.colour", colour, "makes one grey channel but input.channels is "
                        + input.channels());
            }
            if (colour.equals("grey-to-rgb") && input.channels() != 3) {
                throw new ConfigException("adapter.colour", colour, "makes three channels but input.channels is "
                        + input.channels());
            }
            Shape accepts = a.accepts == null ? new Shape(acceptedChannels, input.height(), input.width()) : a.accepts;
            accepts.check("adapter.accepts");
            if (accepts.channels() != acceptedChannels) {
                throw new ConfigException("adapter.accepts.channels", accepts.channels(), "colour '" + colour
                        + "' takes images of " + acceptedChannels + " channel(s)");
            }
            List<Double> weights = a.greyWeights;
            if (weights != null) {
                if (!colour.equals("rgb-to-grey")) {
                    throw new ConfigException("adapter.greyWeights", weights, "only used with colour 'rgb-to-grey'");
                }
                if (weights.size() != 3 || weights.stream().anyMatch(w -> w == null || !Double.isFinite(w) || w < 0)) {
                    throw new ConfigException("adapter.greyWeights", weights, "needs three finite weights >= 0 for R, G and B");
                }
                weights = List.copyOf(weights);
            } else if (colour.equals("rgb-to-grey")) {
                weights = List.of((double) ImageData.LUMA[0], (double) ImageData.LUMA[1], (double) ImageData.LUMA[2]);
            }
            String resize = a.resize == null ? "none" : a.resize;
            if (!RESIZES.contains(resize)) {
                throw new ConfigException("adapter.resize", resize, "must be one of " + RESIZES);
            }
            boolean sameSize = accepts.height() == input.height() && accepts.width() == input.width();
            if (resize.equals("none") && !sameSize) {
                throw new ConfigException("adapter.resize", resize, "accepted images of " + accepts.height() + "x"
                        + accepts.width() + " must be resized to the input's " + input.height() + "x" + input.width()
                        + "; choose one of " + RESIZES.subList(1, RESIZES.size()));
            }
            return new Adapter(accepts, colour, weights, resize);
        }

        /** @return true when the accepted images must be resized to the input's size */
        public boolean resizes(Shape input) {
            return accepts.height() != input.height() || accepts.width() != input.width();
        }
    }
}
