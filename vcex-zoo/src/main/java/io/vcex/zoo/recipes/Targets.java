package io.vcex.zoo.recipes;

import io.vcex.data.world.BackgroundColor;
import io.vcex.data.world.FaceAttributes;
import io.vcex.data.world.HairColor;
import io.vcex.data.world.HatColor;
import io.vcex.data.world.LipstickColor;
import io.vcex.data.world.SkinTone;
import io.vcex.data.world.WorldColor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names of what a faces-world classifier can predict: the binary attributes, and one
 * {@code key=value} target per value of each categorical attribute (one-vs-rest).
 */
public final class Targets {

    private Targets() {
    }

    /** @return every categorical attribute with its values, in a fixed order ("none" first where it exists) */
    public static Map<String, List<String>> categorical() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("hair_color", words(HairColor.values(), false));
        m.put("lipstick_color", words(LipstickColor.values(), true));
        m.put("skin_tone", words(SkinTone.values(), false));
        m.put("background", words(BackgroundColor.values(), false));
        m.put("hat_color", words(HatColor.values(), true));
        return m;
    }

    private static List<String> words(WorldColor[] values, boolean none) {
        List<String> w = new ArrayList<>();
        if (none) {
            w.add("none");
        }
        for (WorldColor c : values) {
            w.add(c.word());
        }
        return w;
    }

    /** @return the oracle's targets: every binary attribute, then every categorical value */
    public static List<String> all() {
        List<String> t = new ArrayList<>(FaceAttributes.BINARY);
        categorical().forEach((k, vs) -> vs.forEach(v -> t.add(k + "=" + v)));
        return t;
    }

    /**
     * @param target a target name
     * @return whether it names a binary attribute or a categorical value
     */
    public static boolean known(String target) {
        return all().contains(target);
    }

    /**
     * @param target a target name
     * @param face a face
     * @return whether the face has it
     */
    public static boolean holds(String target, FaceAttributes face) {
        int eq = target.indexOf('=');
        if (eq < 0) {
            return face.flag(target);
        }
        return face.labels().get(target.substring(0, eq)).equals(target.substring(eq + 1));
    }
}
