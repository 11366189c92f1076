package io.vcex.methods.gcd;

import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import io.vcex.core.provenance.Provenance;
import java.nio.file.Path;
import java.util.List;

/**
 * What a GCD discovery found, as saved in {@code directions.json}: the directions with their
 * line search on the source image, the proxy's training history, the cost and the provenance
 * (config, model hashes, seed, versions).
 *
 * @param classifier the explained classifier's name
 * @param classNames its classes
 * @param sourceClass the source image's class
 * @param sourceProbability its probability
 * @param generator the generator and its adapters
 * @param codeLength the code's length
 * @param sourceCode the source's code z
 * @param directions g first, then h1..hk
 * @param history one entry per outer iteration trained in this run
 * @param cost queries, decodes, time
 * @param provenance where it came from
 */
public record GcdResult(String classifier, List<String> classNames, int sourceClass, double sourceProbability,
        String generator, int codeLength, float[] sourceCode, List<Found> directions, List<Iteration> history, Cost cost,
        Provenance provenance) {

    /** The file name a result is saved under. */
    public static final String FILE = "directions.json";

    /** Copies the lists. */
    public GcdResult {
        directions = List.copyOf(directions);
        history = List.copyOf(history);
    }

    /**
     * One direction and its line search on the source (eq. 5).
     *
     * @param name "g", "h1", ...
     * @param kind "g" or "h"
     * @param eigenvalue Hessian eigenvalue (NaN for g)
     * @param vector the unit vector
     * @param step the chosen step s (NaN when no step flipped the source)
     * @param valid whether some step flipped the source
     * @param loss the chosen counterfactual loss
     * @param probability p(source class) at the chosen step
     * @param proxyLoss the proxy's predicted counterfactual loss at the chosen step
     * @param steps the step grid
     * @param curve p(source class) along the grid
     */
    public record Found(String name, String kind, double eigenvalue, float[] vector, double step, boolean valid,
            double loss, double probability, double proxyLoss, double[] steps, double[] curve) {

        /** @return the direction */
        public Direction direction() {
            return new Direction(name, kind, eigenvalue, vector);
        }
    }

    /**
     * @param iteration outer iteration (0-based)
     * @param dataSize perturbations the proxy was trained on
     * @param proxy how its training went
     */
    public record Iteration(int iteration, int dataSize, ProxyNetwork.Report proxy) {
    }

    /**
     * @param classifierQueries images the classifier scored in this run
     * @param decodedImages codes the generator decoded in this run
     * @param seconds wall time of this run
     * @param resumedIterations outer iterations read from a checkpoint rather than made
     */
    public record Cost(long classifierQueries, long decodedImages, double seconds, int resumedIterations) {
    }

    /** @return the directions, g first */
    public List<Direction> asDirections() {
        return directions.stream().map(Found::direction).toList();
    }

    /**
     * @param name a direction's name
     * @return it
     */
    public Found direction(String name) {
        return directions.stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new VcexException("No direction named '" + name + "'; there are "
                        + directions.stream().map(Found::name).toList()));
    }

    /** @param dir folder to write {@value #FILE} into (atomically) */
    public void write(Path dir) {
        Json.write(dir.resolve(FILE), this);
    }

    /**
     * @param dirOrFile a folder holding {@value #FILE}, or the file
     * @return the result
     */
    public static GcdResult read(Path dirOrFile) {
        Path f = java.nio.file.Files.isDirectory(dirOrFile) ? dirOrFile.resolve(FILE) : dirOrFile;
        return Json.read(f, GcdResult.class);
    }
}
