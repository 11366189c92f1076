package io.vcex.methods.gcd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import io.vcex.core.context.Progress;
import io.vcex.core.context.Rng;
import io.vcex.core.files.AtomicFiles;
import io.vcex.core.generator.LatentGenerator;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The proxy's training data (GCD sec. 4, appendix C algorithm 1): perturbations delta of the source
 * code z, the images G(z + delta) decoded with the source's fixed parts, and two targets per
 * perturbation, the classifier's score f and the perceptual distance d to the source. The data
 * accumulates over outer iterations; iteration {@code i} draws from its own random stream, so a
 * resumed run makes exactly the data an uninterrupted one would.
 */
public final class ProxyData {
    private static final int MAGIC = 0x47434431; // "GCD1"

    private final int dim;
    private float[] offsets = new float[0];
    private double[] scores = new double[0];
    private double[] distances = new double[0];
    private int size;
    private int iterations;
    private long decoded;

    /** @param dim the code's length */
    public ProxyData(int dim) {
        this.dim = dim;
    }

    /** @return the code's length */
    public int dim() {
        return dim;
    }

    /** @return the number of perturbations */
    public int size() {
        return size;
    }

    /** @return the outer iterations whose data is here */
    public int iterations() {
        return iterations;
    }

    /** @return the codes decoded to make this data */
    public long decoded() {
        return decoded;
    }

    /**
     * @param i a perturbation
     * @return its delta (a copy)
     */
    public float[] offset(int i) {
        return Arrays.copyOfRange(offsets, i * dim, (i + 1) * dim);
    }

    /**
     * @param i a perturbation
     * @return f(G(z + delta))
     */
    public double score(int i) {
        return scores[i];
    }

    /**
     * @param i a perturbation
     * @return d(G(z + delta), x)
     */
    public double distance(int i) {
        return distances[i];
    }

    /**
     * @param delta a perturbation
     * @param score its score
     * @param distance its distance
     */
    public void add(float[] delta, double score, double distance) {
        if (delta.length != dim) {
            throw new VcexException("a perturbation of length " + delta.length + " for codes of length " + dim);
        }
        if (size == scores.length) {
            int cap = Math.max(256, size * 2);
            offsets = Arrays.copyOf(offsets, cap * dim);
            scores = Arrays.copyOf(scores, cap);
            distances = Arrays.copyOf(distances, cap);
        }
        System.arraycopy(delta, 0, offsets, size * dim, dim);
        scores[size] = score;
        distances[size] = distance;
        size++;
    }

    /**
     * Makes one outer iteration's data and adds it (algorithm 1).
     *
     * @param scope parent scope for the batches' temporaries
     * @param generator the source's anchored generator
     * @param code the source code z
     * @param loss the source's counterfactual loss (its classifier and distance)
     * @param config batches, batch size, radius, perturbation, decode batch, seed
     * @param iteration the outer iteration's index (selects its random stream)
     * @param task advanced by one per decoded code
     */
    public void generate(NDManager scope, LatentGenerator generator, float[] code, CounterfactualLoss loss,
            GcdConfig config, int iteration, Progress.Task task) {
        Rng rng = new Rng(config.seed()).derive("gcd.perturbations").derive(iteration);
        int total = config.perIteration();
        float[][] deltas = new float[total][];
        for (int i = 0; i < total; i++) {
            deltas[i] = config.perturbation().sample(rng, dim, config.radius());
        }
        for (int from = 0; from < total; from += config.decodeBatch()) {
            int n = Math.min(config.decodeBatch(), total - from);
            float[] flat = new float[n * dim];
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < dim; j++) {
                    flat[k * dim + j] = code[j] + deltas[from + k][j];
                }
            }
            try (NDManager s = scope.newSubManager()) {
                NDArray images = generator.decode(s.create(flat, new Shape(n, dim)));
                CounterfactualLoss.Values v = loss.evaluate(images);
                for (int k = 0; k < n; k++) {
                    add(deltas[from + k], v.score()[k], v.distance()[k]);
                }
            }
            decoded += n;
            task.step(n);
        }
        iterations++;
    }

    /**
     * Writes the data atomically (a checkpoint).
     *
     * @param file target
     */
    public void write(Path file) {
        AtomicFiles.write(file, tmp -> {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeInt(MAGIC);
                out.writeInt(dim);
                out.writeInt(size);
                out.writeInt(iterations);
                out.writeLong(decoded);
                for (int i = 0; i < size * dim; i++) {
                    out.writeFloat(offsets[i]);
                }
                for (int i = 0; i < size; i++) {
                    out.writeDouble(scores[i]);
                    out.writeDouble(distances[i]);
                }
            }
        });
    }

    /**
     * @param file a file {@link #write} made
     * @return its data
     */
    public static ProxyData read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new VcexException(file + " is not a GCD proxy-data checkpoint; delete it to start afresh");
            }
            ProxyData d = new ProxyData(in.readInt());
            int n = in.readInt();
            int its = in.readInt();
            long dec = in.readLong();
            float[][] offs = new float[n][d.dim];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d.dim; j++) {
                    offs[i][j] = in.readFloat();
                }
            }
            for (int i = 0; i < n; i++) {
                double s = in.readDouble();
                d.add(offs[i], s, in.readDouble());
            }
            d.iterations = its;
            d.decoded = dec;
            return d;
        } catch (IOException e) {
            throw new VcexException("Cannot read the GCD checkpoint " + file + ": " + e.getMessage()
                    + "; delete it to start afresh", e);
        }
    }
}
