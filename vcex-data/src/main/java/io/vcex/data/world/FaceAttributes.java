package io.vcex.data.world;

import io.vcex.core.VcexException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ground truth of one face: every semantic attribute and the nuisance variation. Rendering
 * is a pure function of this record, so changing one attribute and rendering again gives the
 * face's true counterfactual (see {@link #with(String, String)}).
 *
 * @param smiling open smile (otherwise a closed mouth, flat or slightly frowning)
 * @param eyeglasses round dark-framed glasses
 * @param mustache hair band above the mouth
 * @param beard hair over the jaw and chin
 * @param old grey hair and wrinkles (forehead lines, crow's feet)
 * @param hat a cap over the top of the head
 * @param bangs a fringe over the forehead
 * @param hairColor the drawn hair colour (GREY exactly when old)
 * @param lipstick lipstick colour, or null for none
 * @param skinTone skin tone
 * @param background background colour
 * @param hatColor hat colour (meaningful when hat)
 * @param nuisance pose, light and shape variation
 */
public record FaceAttributes(boolean smiling, boolean eyeglasses, boolean mustache, boolean beard, boolean old,
        boolean hat, boolean bangs, HairColor hairColor, LipstickColor lipstick, SkinTone skinTone,
        BackgroundColor background, HatColor hatColor, Nuisance nuisance) {

    /** The binary attributes, in the order used by labels and the oracle. */
    public static final List<String> BINARY = List.of("smiling", "eyeglasses", "mustache", "beard", "old", "hat",
            "bangs", "lipstick");

    /** The categorical attributes, with their label keys. */
    public static final List<String> CATEGORICAL = List.of("hair_color", "lipstick_color", "skin_tone",
            "background", "hat_color");

    /** Checks that the record is consistent: old faces have grey hair and only they do. */
    public FaceAttributes {
        if (hairColor == null || skinTone == null || background == null || hatColor == null || nuisance == null) {
            throw new IllegalArgumentException("face attributes need hair colour, skin tone, background, hat colour and nuisance");
        }
        if (old != (hairColor == HairColor.GREY)) {
            throw new IllegalArgumentException("hair is grey exactly when the face is old (old=" + old
                    + ", hair=" + hairColor.word() + ")");
        }
    }

    /**
     * @param name a binary attribute of {@link #BINARY}
     * @return its value
     */
    public boolean flag(String name) {
        return switch (name) {
            case "smiling" -> smiling;
            case "eyeglasses" -> eyeglasses;
            case "mustache" -> mustache;
            case "beard" -> beard;
            case "old" -> old;
            case "hat" -> hat;
            case "bangs" -> bangs;
            case "lipstick" -> lipstick != null;
            default -> throw new VcexException("Unknown binary attribute '" + name + "'; known: " + BINARY);
        };
    }

    /** @return whether every value of this face appears in the in-prior world */
    public boolean inPrior() {
        return hairColor.inPrior() && (lipstick == null || lipstick.inPrior());
    }

    /**
     * The labels written for this face: the binary attributes as true/false, the categorical ones
     * as colour words ("none" for no lipstick), {@code in_prior}, and the nuisance values.
     *
     * @return label name to value, in a fixed order
     */
    public Map<String, String> labels() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String b : BINARY) {
            m.put(b, Boolean.toString(flag(b)));
        }
        m.put("hair_color", hairColor.word());
        m.put("lipstick_color", lipstick == null ? "none" : lipstick.word());
        m.put("skin_tone", skinTone.word());
        m.put("background", background.word());
        m.put("hat_color", hat ? hatColor.word() : "none");
        m.put("in_prior", Boolean.toString(inPrior()));
        m.put("shift_x", fmt(nuisance.shiftX()));
        m.put("shift_y", fmt(nuisance.shiftY()));
        m.put("scale", fmt(nuisance.scale()));
        m.put("rotation", fmt(nuisance.rotationDeg()));
        m.put("light", fmt(nuisance.light()));
        return m;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /**
     * The same face with one attribute changed: its ground-truth counterfactual. Setting
     * {@code old} also sets the hair: grey when old; when a grey-haired face becomes young, brown.
     *
     * @param name an attribute of {@link #BINARY} or {@link #CATEGORICAL}
     * @param value "true"/"false" for binary attributes, a colour word for categorical ones
     *     ("none" removes lipstick)
     * @return the changed face
     */
    public FaceAttributes with(String name, String value) {
        String v = value.toLowerCase(Locale.ROOT).trim();
        return switch (name) {
            case "smiling" -> new FaceAttributes(bool(name, v), eyeglasses, mustache, beard, old, hat, bangs,
                    hairColor, lipstick, skinTone, background, hatColor, nuisance);
            case "eyeglasses" -> new FaceAttributes(smiling, bool(name, v), mustache, beard, old, hat, bangs,
                    hairColor, lipstick, skinTone, background, hatColor, nuisance);
            case "mustache" -> new FaceAttributes(smiling, eyeglasses, bool(name, v), beard, old, hat, bangs,
                    hairColor, lipstick, skinTone, background, hatColor, nuisance);
            case "beard" -> new FaceAttributes(smiling, eyeglasses, mustache, bool(name, v), old, hat, bangs,
                    hairColor, lipstick, skinTone, background, hatColor, nuisance);
            case "old" -> {
                boolean o = bool(name, v);
                HairColor hair = o ? HairColor.GREY : (hairColor == HairColor.GREY ? HairColor.BROWN : hairColor);
                yield new FaceAttributes(smiling, eyeglasses, mustache, beard, o, hat, bangs, hair, lipstick,
                        skinTone, background, hatColor, nuisance);
            }
            case "hat" -> new FaceAttributes(smiling, eyeglasses, mustache, beard, old, bool(name, v), bangs,
                    hairColor, lipstick, skinTone, background, hatColor, nuisance);
            case "bangs" -> new FaceAttributes(smiling, eyeglasses, mustache, beard, old, hat, bool(name, v),
                    hairColor, lipstick, skinTone, background, hatColor, nuisance);
            case "lipstick", "lipstick_color" -> {
                LipstickColor lc = v.equals("none") || v.equals("false") ? null
                        : v.equals("true") ? (lipstick == null ? LipstickColor.RED : lipstick)
                        : color(LipstickColor.class, name, v);
                yield new FaceAttributes(smiling, eyeglasses, mustache, beard, old, hat, bangs, hairColor, lc,
                        skinTone, background, hatColor, nuisance);
            }
            case "hair_color" -> {
                HairColor hc = color(HairColor.class, name, v);
                yield new FaceAttributes(smiling, eyeglasses, mustache, beard, hc == HairColor.GREY, hat, bangs,
                        hc, lipstick, skinTone, background, hatColor, nuisance);
            }
            case "skin_tone" -> new FaceAttributes(smiling, eyeglasses, mustache, beard, old, hat, bangs,
                    hairColor, lipstick, color(SkinTone.class, name, v), background, hatColor, nuisance);
            case "background" -> new FaceAttributes(smiling, eyeglasses, mustache, beard, old, hat, bangs,
                    hairColor, lipstick, skinTone, color(BackgroundColor.class, name, v), hatColor, nuisance);
            case "hat_color" -> new FaceAttributes(smiling, eyeglasses, mustache, beard, old, true, bangs,
                    hairColor, lipstick, skinTone, background, color(HatColor.class, name, v), nuisance);
            default -> throw new VcexException("Unknown attribute '" + name + "'; known: " + BINARY + " and "
                    + CATEGORICAL);
        };
    }

    private static boolean bool(String name, String v) {
        if (v.equals("true") || v.equals("1") || v.equals("yes")) {
            return true;
        }
        if (v.equals("false") || v.equals("0") || v.equals("no")) {
            return false;
        }
        throw new VcexException("Attribute '" + name + "' is true or false, not '" + v + "'");
    }

    private static <E extends Enum<E> & WorldColor> E color(Class<E> type, String name, String v) {
        for (E e : type.getEnumConstants()) {
            if (e.word().equals(v)) {
                return e;
            }
        }
        throw new VcexException("Attribute '" + name + "' has no value '" + v + "'; values: "
                + java.util.Arrays.stream(type.getEnumConstants()).map(WorldColor::word).toList());
    }
}
