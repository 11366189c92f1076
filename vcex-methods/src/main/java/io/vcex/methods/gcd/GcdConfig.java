package io.vcex.methods.gcd;

import io.vcex.core.config.Check;
import io.vcex.core.config.ConfigException;

/**
 * Configuration of GCD (Sobieski and Biecek, "Global Counterfactual Directions", ECCV 2024). The
 * defaults are the paper's and the authors' CelebA-HQ smile configuration (REFERENCE-NOTES.md,
 * "GCD"); every field may be left null (in code or JSON) for its default.
 *
 * @param iterations outer iterations of data generation; the proxy is re-initialised and trained
 *     after each, the data accumulates (default 52)
 * @param batchesPerIteration generator batches per outer iteration (default 8)
 * @param batchSize perturbed codes per batch (default 128)
 * @param radius r, the largest perturbation norm (default 1; appendix F.3 finds it near optimal)
 * @param perturbation how perturbation norms are drawn (default {@link Perturbation#UNIFORM_NORM}, the
 *     authors' code)
 * @param score the classifier score in the loss (default {@link ScoreKind#LOGIT}, the authors' code)
 * @param lambda the distance weight of the counterfactual loss, eq. 1 (default 1, appendix F)
 * @param proxy the proxy network and its training
 * @param hDirections how many h-directions to keep, top |eigenvalue| first (default 6)
 * @param hSign how an h-direction's sign is fixed (default {@link HSign#EIGENVALUE}, the authors' code)
 * @param lineSearchSteps step sizes of the source's line search, eq. 5 (default 16)
 * @param minStep the smallest step (default 1e-4)
 * @param maxStep the largest step (default 3.0); the search moves z - s v, v of unit norm
 * @param transferSteps steps of the per-image search when a direction is applied to a data set,
 *     spaced uniformly in [-transferMaxStep, transferMaxStep] (default 16)
 * @param transferMaxStep the bound of those steps (default 3.0)
 * @param pathPoints BB-LIG path points from the image along the direction (default 128)
 * @param baselineProbability BB-LIG's baseline is the first path point whose probability of the
 *     image's class falls below this (default 0.01)
 * @param pixelTolerance BB-LIG treats a pixel change of at most this as none (derivative 0);
 *     default 0, the paper's exact rule
 * @param decodeBatch codes per generator call, a memory bound with no effect on results (default 16)
 * @param seed the seed of every random stream of the discovery (default 0)
 * @param proxyEvery train the proxy after every this many outer iterations and after the last
 *     (default 1: after each, as the authors do; only the last proxy gives the directions, the
 *     others fill the training history, so a larger value saves time on a CPU)
 */
public record GcdConfig(Integer iterations, Integer batchesPerIteration, Integer batchSize, Double radius,
        Perturbation perturbation, ScoreKind score, Double lambda, ProxyConfig proxy, Integer hDirections, HSign hSign,
        Integer lineSearchSteps, Double minStep, Double maxStep, Integer transferSteps, Double transferMaxStep,
        Integer pathPoints, Double baselineProbability, Double pixelTolerance, Integer decodeBatch, Long seed,
        Integer proxyEvery) {

    /** Fills defaults and validates; errors name the field. */
    public GcdConfig {
        iterations = iterations == null ? 52 : Check.range("iterations", iterations, 1, 100_000);
        batchesPerIteration = batchesPerIteration == null ? 8 : Check.range("batchesPerIteration", batchesPerIteration, 1, 100_000);
        batchSize = batchSize == null ? 128 : Check.range("batchSize", batchSize, 1, 1 << 16);
        radius = radius == null ? 1.0 : Check.positive("radius", radius);
        perturbation = perturbation == null ? Perturbation.UNIFORM_NORM : perturbation;
        score = score == null ? ScoreKind.LOGIT : score;
        lambda = lambda == null ? 1.0 : Check.nonNegative("lambda", lambda);
        proxy = proxy == null ? ProxyConfig.defaults() : proxy;
        hDirections = hDirections == null ? 6 : Check.range("hDirections", hDirections, 0, 100_000);
        hSign = hSign == null ? HSign.EIGENVALUE : hSign;
        lineSearchSteps = lineSearchSteps == null ? 16 : Check.range("lineSearchSteps", lineSearchSteps, 1, 10_000);
        minStep = minStep == null ? 1e-4 : Check.positive("minStep", minStep);
        maxStep = maxStep == null ? 3.0 : Check.positive("maxStep", maxStep);
        if (maxStep < minStep) {
            throw new ConfigException("maxStep", maxStep, "must be at least minStep (" + minStep + ")");
        }
        transferSteps = transferSteps == null ? 16 : Check.range("transferSteps", transferSteps, 2, 10_000);
        transferMaxStep = transferMaxStep == null ? 3.0 : Check.positive("transferMaxStep", transferMaxStep);
        pathPoints = pathPoints == null ? 128 : Check.range("pathPoints", pathPoints, 2, 100_000);
        baselineProbability = baselineProbability == null ? 0.01 : Check.probability("baselineProbability", baselineProbability);
        pixelTolerance = pixelTolerance == null ? 0.0 : Check.nonNegative("pixelTolerance", pixelTolerance);
        decodeBatch = decodeBatch == null ? 16 : Check.range("decodeBatch", decodeBatch, 1, 1 << 16);
        seed = seed == null ? 0L : seed;
        proxyEvery = proxyEvery == null ? 1 : Check.range("proxyEvery", proxyEvery, 1, 100_000);
    }

    /** @return the paper's and the authors' defaults */
    public static GcdConfig defaults() {
        return new GcdConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
    }

    /** @return perturbed codes per outer iteration */
    public int perIteration() {
        return batchesPerIteration * batchSize;
    }

    /**
     * @param outer outer iterations
     * @param batches batches per iteration
     * @param size codes per batch
     * @return a copy with this data budget
     */
    public GcdConfig withData(int outer, int batches, int size) {
        return new GcdConfig(outer, batches, size, radius, perturbation, score, lambda, proxy, hDirections, hSign,
                lineSearchSteps, minStep, maxStep, transferSteps, transferMaxStep, pathPoints, baselineProbability,
                pixelTolerance, decodeBatch, seed, proxyEvery);
    }

    /**
     * @param value the proxy's configuration
     * @return a copy with it
     */
    public GcdConfig withProxy(ProxyConfig value) {
        return new GcdConfig(iterations, batchesPerIteration, batchSize, radius, perturbation, score, lambda, value,
                hDirections, hSign, lineSearchSteps, minStep, maxStep, transferSteps, transferMaxStep, pathPoints,
                baselineProbability, pixelTolerance, decodeBatch, seed, proxyEvery);
    }

    /**
     * @param value the seed
     * @return a copy with it
     */
    public GcdConfig withSeed(long value) {
        return new GcdConfig(iterations, batchesPerIteration, batchSize, radius, perturbation, score, lambda, proxy,
                hDirections, hSign, lineSearchSteps, minStep, maxStep, transferSteps, transferMaxStep, pathPoints,
                baselineProbability, pixelTolerance, decodeBatch, value, proxyEvery);
    }

    /**
     * @param value train the proxy after every this many outer iterations (and the last)
     * @return a copy with it
     */
    public GcdConfig withProxyEvery(int value) {
        return new GcdConfig(iterations, batchesPerIteration, batchSize, radius, perturbation, score, lambda, proxy,
                hDirections, hSign, lineSearchSteps, minStep, maxStep, transferSteps, transferMaxStep, pathPoints,
                baselineProbability, pixelTolerance, decodeBatch, seed, value);
    }

    /**
     * @param k h-directions to keep
     * @param sign their sign convention
     * @return a copy with these
     */
    public GcdConfig withHDirections(int k, HSign sign) {
        return new GcdConfig(iterations, batchesPerIteration, batchSize, radius, perturbation, score, lambda, proxy,
                k, sign, lineSearchSteps, minStep, maxStep, transferSteps, transferMaxStep, pathPoints,
                baselineProbability, pixelTolerance, decodeBatch, seed, proxyEvery);
    }

    /**
     * @param r the perturbation radius
     * @param kind how norms are drawn
     * @param l the distance weight lambda
     * @return a copy with these
     */
    public GcdConfig withLoss(double r, Perturbation kind, double l) {
        return new GcdConfig(iterations, batchesPerIteration, batchSize, r, kind, score, l, proxy, hDirections, hSign,
                lineSearchSteps, minStep, maxStep, transferSteps, transferMaxStep, pathPoints, baselineProbability,
                pixelTolerance, decodeBatch, seed, proxyEvery);
    }

    /**
     * @param points BB-LIG path points
     * @param batch codes per generator call
     * @return a copy with these
     */
    public GcdConfig withCompute(int points, int batch) {
        return new GcdConfig(iterations, batchesPerIteration, batchSize, radius, perturbation, score, lambda, proxy,
                hDirections, hSign, lineSearchSteps, minStep, maxStep, transferSteps, transferMaxStep, points,
                baselineProbability, pixelTolerance, batch, seed, proxyEvery);
    }

    /**
     * @return this config with the fields that do not change the proxy's data (iterations and
     *     everything after the data is made) at their defaults: the key of a data checkpoint, so
     *     a discovery can be resumed with more iterations or another search
     */
    public GcdConfig dataKey() {
        return new GcdConfig(1, batchesPerIteration, batchSize, radius, perturbation, score, null, null, null, null,
                null, null, null, null, null, null, null, null, null, seed, null);
    }
}
