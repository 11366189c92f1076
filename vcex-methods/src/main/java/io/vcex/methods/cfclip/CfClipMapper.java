package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import io.vcex.core.context.VcexContext;
import io.vcex.core.files.AtomicFiles;
import io.vcex.core.generator.StyleGenerator;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageTensors;
import io.vcex.core.image.ValueRange;
import io.vcex.core.provenance.Hashing;
import io.vcex.core.provenance.ModelInfo;
import io.vcex.core.provenance.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained CF-CLIP edit: the mapper network for one target text with the text's embedding e^t,
 * so that applying it needs neither CLIP nor the text, only one forward pass:
 * w' = w + s M(w, e^t) (eq. 10, s = 0.1 in the authors' code). Saved as {@value #PARAMS} (the
 * weights) and {@value #CARD} (architecture, text, the generator and encoder it was trained with,
 * the training report, provenance, the weights' SHA-256).
 */
public final class CfClipMapper implements AutoCloseable {
    /** The card's file name. */
    public static final String CARD = "mapper.json";
    /** The weights' file name. */
    public static final String PARAMS = "mapper.params";
    /** The card's format tag. */
    public static final String FORMAT = "vcex-cfclip-mapper-1";

    private final MapperArchitecture architecture;
    private final String targetText;
    private final float[] textEmbedding;
    private final Params params;
    private final ResidualMapper network;
    private Card card;

    /**
     * What {@value #CARD} holds.
     *
     * @param format {@value #FORMAT}
     * @param architecture the network's shape
     * @param targetText t_tgt
     * @param textEmbedding e^t, TEM's input
     * @param parameters parameter names in file order
     * @param parameterCount number of weights
     * @param parametersSha256 SHA-256 of {@value #PARAMS}
     * @param generator the style generator it edits
     * @param textImageEncoder the CLIP it was trained with
     * @param training how training went
     * @param provenance config, seed, model hashes, versions
     */
    public record Card(String format, MapperArchitecture architecture, String targetText, float[] textEmbedding,
            List<String> parameters, long parameterCount, String parametersSha256, ModelInfo generator,
            ModelInfo textImageEncoder, TrainingReport training, Provenance provenance) {
    }

    /**
     * One edited image.
     *
     * @param original the image as given
     * @param reconstruction G(E(x)), the generator's rendering of its own code of the image
     * @param edited G(w'), the edit
     * @param latentChange root mean square of w' - w
     */
    public record Edit(ImageData original, ImageData reconstruction, ImageData edited, double latentChange) {
    }

    private CfClipMapper(NDManager parent, MapperArchitecture architecture, String targetText, float[] textEmbedding, Rng rng) {
        if (textEmbedding.length != architecture.embeddingDim()) {
            throw new VcexException("The text embedding has " + textEmbedding.length + " values but the mapper expects "
                    + architecture.embeddingDim());
        }
        this.architecture = architecture;
        this.targetText = targetText;
        this.textEmbedding = textEmbedding.clone();
        this.params = new Params(parent);
        try {
            this.network = architecture.build(params, rng);
        } catch (RuntimeException e) {
            params.close();
            throw e;
        }
    }

    /**
     * @param parent the scope whose child holds the weights
     * @param architecture the network's shape
     * @param targetText t_tgt
     * @param textEmbedding e^t
     * @param rng draws the initial weights
     * @return a fresh mapper, whose last layers are zero so that it edits nothing yet
     */
    public static CfClipMapper create(NDManager parent, MapperArchitecture architecture, String targetText,
            float[] textEmbedding, Rng rng) {
        return new CfClipMapper(parent, architecture, targetText, textEmbedding, rng);
    }

    /** @return the network's shape */
    public MapperArchitecture architecture() {
        return architecture;
    }

    /** @return t_tgt */
    public String targetText() {
        return targetText;
    }

    /** @return e^t */
    public float[] textEmbedding() {
        return textEmbedding.clone();
    }

    /** @return the card, or null before training set it */
    public Card card() {
        return card;
    }

    void setCard(Card value) {
        this.card = value;
    }

    /** @return number of weights */
    public long parameterCount() {
        return params.count();
    }

    /** @return the trainable arrays, in file order */
    List<NDArray> parameters() {
        return params.arrays();
    }

    Params params() {
        return params;
    }

    /**
     * @param wPlus N x L x D
     * @return M(w, e^t), unscaled, in wPlus's scope
     */
    public NDArray residual(NDArray wPlus) {
        long[] s = wPlus.getShape().getShape();
        if (s.length != 3 || s[1] != architecture.numWs() || s[2] != architecture.wDim()) {
            throw new VcexException("This mapper edits W+ codes of " + architecture.numWs() + " x " + architecture.wDim()
                    + " but was given " + wPlus.getShape());
        }
        return network.residual(wPlus, textEmbedding);
    }

    /**
     * @param wPlus N x L x D
     * @return w' = w + s M(w, e^t) (eq. 10), in wPlus's scope; differentiable with respect to the weights
     */
    public NDArray edit(NDArray wPlus) {
        return wPlus.add(residual(wPlus).mul((float) architecture.residualScale()));
    }

    /**
     * Checks that a generator is the one this mapper was trained for.
     *
     * @param generator the generator
     */
    public void requireGenerator(StyleGenerator generator) {
        if (generator.numWs() != architecture.numWs() || generator.wDim() != architecture.wDim()) {
            throw new VcexException("This mapper was trained for W+ codes of " + architecture.numWs() + " x "
                    + architecture.wDim() + " but the generator '" + generator.info().name() + "' has " + generator.numWs()
                    + " x " + generator.wDim());
        }
        ModelInfo trained = card == null ? null : card.generator();
        if (trained != null && !trained.fileSha256().isEmpty() && !trained.equals(generator.info())) {
            throw new VcexException("This mapper was trained for the generator '" + trained.name() + "' " + trained.fileSha256()
                    + " but is applied with '" + generator.info().name() + "' " + generator.info().fileSha256()
                    + "; a mapper's edits mean something only in the W+ space it was trained in: retrain it");
        }
    }

    /**
     * Encodes images with the generator's encoder, edits their codes in one forward pass and
     * renders both the unedited and the edited codes.
     *
     * @param ctx scopes and progress
     * @param generator the generator it was trained for
     * @param images images of the generator's size
     * @param batch images per pass
     * @return one edit per image, in order
     */
    public List<Edit> apply(VcexContext ctx, StyleGenerator generator, List<ImageData> images, int batch) {
        requireGenerator(generator);
        for (int i = 0; i < images.size(); i++) {
            generator.imageSpec().require(images.get(i), "image " + (i + 1));
        }
        List<Edit> out = new ArrayList<>(images.size());
        try (Progress.Task task = ctx.progress().start("CF-CLIP '" + targetText + "' on " + images.size() + " image(s)",
                images.size())) {
            for (int from = 0; from < images.size(); from += batch) {
                List<ImageData> part = images.subList(from, Math.min(images.size(), from + batch));
                try (NDManager scope = ctx.newScope()) {
                    NDArray w = generator.encode(ImageTensors.toBatch(scope, part, ValueRange.UNIT));
                    NDArray edited = edit(w);
                    List<ImageData> rec = ImageTensors.fromBatch(generator.synthesize(generator.styles(w)).clip(0f, 1f),
                            ValueRange.UNIT);
                    List<ImageData> ed = ImageTensors.fromBatch(generator.synthesize(generator.styles(edited)).clip(0f, 1f),
                            ValueRange.UNIT);
                    float[] change = edited.sub(w).square().reshape(part.size(), -1).mean(new int[] {1}).sqrt().toFloatArray();
                    for (int i = 0; i < part.size(); i++) {
                        out.add(new Edit(part.get(i), rec.get(i), ed.get(i), change[i]));
                    }
                }
                task.step(part.size());
            }
        }
        return out;
    }

    /**
     * Writes {@value #PARAMS} and {@value #CARD} into a folder (other files there are kept).
     *
     * @param dir the folder
     */
    public void save(Path dir) {
        if (card == null) {
            throw new VcexException("This mapper has not been trained; there is nothing to save");
        }
        byte[] bytes = params.encode();
        AtomicFiles.write(dir.resolve(PARAMS), tmp -> Files.write(tmp, bytes));
        Card c = card;
        card = new Card(FORMAT, architecture, targetText, textEmbedding, params.names(), params.count(), Hashing.sha256(bytes),
                c.generator(), c.textImageEncoder(), c.training(), c.provenance());
        Json.write(dir.resolve(CARD), card);
    }

    /**
     * @param parent the scope whose child holds the weights
     * @param dir a folder written by {@link #save}
     * @return the mapper; a missing, damaged or mismatched file is an error naming it
     */
    public static CfClipMapper load(NDManager parent, Path dir) {
        Path cardFile = dir.resolve(CARD);
        Path weights = dir.resolve(PARAMS);
        if (!Files.isRegularFile(cardFile)) {
            throw new VcexException("No CF-CLIP mapper in " + dir + " (no " + CARD + "); train one with: ./vcex edit cfclip train "
                    + "--text \"...\" --out " + dir);
        }
        Card c = Json.read(cardFile, Card.class);
        if (!FORMAT.equals(c.format())) {
            throw new VcexException(cardFile + " has format '" + c.format() + "', not " + FORMAT);
        }
        if (!Files.isRegularFile(weights)) {
            throw new VcexException("The mapper's weights are missing: " + weights);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(weights);
        } catch (IOException e) {
            throw new VcexException("Cannot read " + weights + ": " + e.getMessage(), e);
        }
        String sha = Hashing.sha256(bytes);
        if (!sha.equals(c.parametersSha256())) {
            throw new VcexException("The mapper's weights " + weights + " have SHA-256 " + sha + " but " + CARD + " says "
                    + c.parametersSha256() + "; the file is damaged or was replaced");
        }
        CfClipMapper m = new CfClipMapper(parent, c.architecture(), c.targetText(), c.textEmbedding(), new Rng(0));
        try {
            m.params.decode(bytes, weights.toString());
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        m.card = c;
        return m;
    }

    @Override
    public void close() {
        params.close();
    }
}
