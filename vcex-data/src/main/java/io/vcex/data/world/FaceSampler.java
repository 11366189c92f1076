package io.vcex.data.world;

import io.vcex.core.context.Rng;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws the ground truth of a face from a {@link WorldConfig}: binary attributes independently
 * with their probabilities, then the couplings in order, then colours and nuisance. The order of
 * draws is fixed, so a generator in a given state always gives the same face.
 */
public final class FaceSampler {
    private final WorldConfig config;

    /** @param config the world's distribution */
    public FaceSampler(WorldConfig config) {
        this.config = config;
    }

    /**
     * @param rng the face's own random stream
     * @return one face's attributes
     */
    public FaceAttributes sample(Rng rng) {
        Map<String, Boolean> f = new LinkedHashMap<>();
        for (String name : FaceAttributes.BINARY) {
            f.put(name, rng.bernoulli(config.probabilities().get(name)));
        }
        for (Coupling c : config.couplings()) {
            boolean agree = rng.bernoulli(c.agreement());
            f.put(c.effect(), agree == f.get(c.cause()));
        }
        double cf = config.counterfactualRate();
        boolean old = f.get("old");
        HairColor hair;
        boolean hairCf = rng.bernoulli(cf);
        HairColor youngHair = hairCf ? rng.choose(HairColor.counterfactual()) : rng.choose(HairColor.youngInPrior());
        hair = old ? HairColor.GREY : youngHair;
        boolean lipCf = rng.bernoulli(cf);
        LipstickColor lipColor = lipCf ? rng.choose(LipstickColor.counterfactual()) : rng.choose(LipstickColor.prior());
        LipstickColor lipstick = f.get("lipstick") ? lipColor : null;
        SkinTone skin = rng.choose(List.of(SkinTone.values()));
        BackgroundColor background = rng.choose(List.of(BackgroundColor.values()));
        HatColor hatColor = rng.choose(Arrays.asList(HatColor.values()));
        boolean smiling = f.get("smiling");
        double s = config.maxShift();
        double j = config.scaleJitter();
        double r = config.maxRotationDeg();
        double l = config.lightJitter();
        Nuisance n = new Nuisance(rng.uniform(-s, s), rng.uniform(-s, s), rng.uniform(1 - j, 1 + j),
                rng.uniform(-r, r), rng.uniform(1 - l, 1 + l), rng.uniform(0, 360), rng.uniform(0.92, 1.08),
                rng.uniform(0, 1), rng.nextInt(3));
        return new FaceAttributes(smiling, f.get("eyeglasses"), f.get("mustache"), f.get("beard"), old,
                f.get("hat"), f.get("bangs"), hair, lipstick, skin, background, hatColor, n);
    }
}
