package io.vcex.data.world;

import io.vcex.core.config.Check;
import io.vcex.core.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The distribution of the faces world. Every field may be left out of a JSON file; a missing
 * field takes the default given here (and the defaults live nowhere else).
 *
 * @param size output width and height in pixels (default 64)
 * @param supersample the face is drawn this many times larger and box-averaged down, for smooth
 *     edges (default 4)
 * @param probabilities probability of each binary attribute (defaults in {@link #DEFAULT_PROBABILITIES});
 *     keys left out keep their default
 * @param counterfactualRate probability that a young face's hair colour, and a lipstick's colour,
 *     is drawn from the counterfactual values instead of the in-prior ones. 0 (the default) is the
 *     <em>in-prior world</em> generators are trained on; above 0 the <em>full world</em>
 * @param couplings planted correlations, applied in order (default none)
 * @param maxShift largest face offset in design pixels (default 3)
 * @param scaleJitter face size varies in [1 - j, 1 + j] (default 0.08)
 * @param maxRotationDeg largest in-plane rotation in degrees (default 8)
 * @param lightJitter the lit side is up to this much brighter, the other side darker (default 0.15)
 * @param trainFraction share of indices in the train split (default 0.8)
 * @param valFraction share in the validation split (default 0.1); the rest is test
 */
public record WorldConfig(Integer size, Integer supersample, Map<String, Double> probabilities,
        Double counterfactualRate, List<Coupling> couplings, Double maxShift, Double scaleJitter,
        Double maxRotationDeg, Double lightJitter, Double trainFraction, Double valFraction) {

    /** Default probability of each binary attribute. */
    public static final Map<String, Double> DEFAULT_PROBABILITIES = defaults();

    private static Map<String, Double> defaults() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("smiling", 0.5);
        m.put("eyeglasses", 0.35);
        m.put("mustache", 0.2);
        m.put("beard", 0.15);
        m.put("old", 0.25);
        m.put("hat", 0.25);
        m.put("bangs", 0.3);
        m.put("lipstick", 0.3);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Fills defaults and validates; errors name the field. */
    public WorldConfig {
        size = size == null ? 64 : Check.range("size", size, 16, 512);
        supersample = supersample == null ? 4 : Check.range("supersample", supersample, 1, 8);
        Map<String, Double> p = new TreeMap<>(DEFAULT_PROBABILITIES);
        if (probabilities != null) {
            for (Map.Entry<String, Double> e : probabilities.entrySet()) {
                if (!DEFAULT_PROBABILITIES.containsKey(e.getKey())) {
                    throw new ConfigException("probabilities." + e.getKey(), e.getValue(),
                            "unknown attribute; known: " + DEFAULT_PROBABILITIES.keySet());
                }
                Check.present("probabilities." + e.getKey(), e.getValue());
                p.put(e.getKey(), Check.probability("probabilities." + e.getKey(), e.getValue()));
            }
        }
        probabilities = java.util.Collections.unmodifiableMap(p);
        counterfactualRate = counterfactualRate == null ? 0.0 : Check.probability("counterfactualRate", counterfactualRate);
        couplings = couplings == null ? List.of() : List.copyOf(couplings);
        maxShift = maxShift == null ? 3.0 : Check.range("maxShift", maxShift, 0, 10);
        scaleJitter = scaleJitter == null ? 0.08 : Check.range("scaleJitter", scaleJitter, 0, 0.3);
        maxRotationDeg = maxRotationDeg == null ? 8.0 : Check.range("maxRotationDeg", maxRotationDeg, 0, 45);
        lightJitter = lightJitter == null ? 0.15 : Check.range("lightJitter", lightJitter, 0, 0.5);
        trainFraction = trainFraction == null ? 0.8 : Check.probability("trainFraction", trainFraction);
        valFraction = valFraction == null ? 0.1 : Check.probability("valFraction", valFraction);
        if (trainFraction + valFraction > 1 + 1e-9) {
            throw new ConfigException("valFraction", valFraction, "trainFraction + valFraction must not exceed 1 (trainFraction is "
                    + trainFraction + ")");
        }
    }

    /** @return the in-prior world with every default: the world generators are trained on */
    public static WorldConfig inPrior() {
        return new WorldConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** @return the full world: a third of hair and lipstick colours are counterfactual */
    public static WorldConfig full() {
        return inPrior().withCounterfactualRate(0.35);
    }

    /**
     * @return the in-prior world with smiling and eyeglasses coupled at 95% (the bias planted in
     *     the training set of the {@code smile-biased} classifier)
     */
    public static WorldConfig smileBiased() {
        return inPrior().withCouplings(List.of(new Coupling("smiling", "eyeglasses", 0.95)));
    }

    /**
     * @param rate the counterfactual rate
     * @return a copy with that rate
     */
    public WorldConfig withCounterfactualRate(double rate) {
        return new WorldConfig(size, supersample, probabilities, rate, couplings, maxShift, scaleJitter,
                maxRotationDeg, lightJitter, trainFraction, valFraction);
    }

    /**
     * @param value the couplings
     * @return a copy with those couplings
     */
    public WorldConfig withCouplings(List<Coupling> value) {
        return new WorldConfig(size, supersample, probabilities, counterfactualRate, value, maxShift, scaleJitter,
                maxRotationDeg, lightJitter, trainFraction, valFraction);
    }

    /**
     * @param attribute a binary attribute
     * @param p its probability
     * @return a copy with that probability
     */
    public WorldConfig withProbability(String attribute, double p) {
        Map<String, Double> m = new TreeMap<>(probabilities);
        m.put(attribute, p);
        return new WorldConfig(size, supersample, m, counterfactualRate, couplings, maxShift, scaleJitter,
                maxRotationDeg, lightJitter, trainFraction, valFraction);
    }

    /**
     * @param value output size in pixels
     * @return a copy rendering at that size
     */
    public WorldConfig withSize(int value) {
        return new WorldConfig(value, supersample, probabilities, counterfactualRate, couplings, maxShift, scaleJitter,
                maxRotationDeg, lightJitter, trainFraction, valFraction);
    }
}
