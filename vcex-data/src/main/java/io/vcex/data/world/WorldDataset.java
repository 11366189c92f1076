package io.vcex.data.world;

import io.vcex.core.VcexException;
import io.vcex.core.image.ImageSpec;
import io.vcex.data.dataset.Dataset;
import io.vcex.data.dataset.LabeledImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The faces world as a {@link Dataset}, generated on the fly: faces {@code 0..count-1} of a seeded
 * world. Labels are the ground truth plus {@code split} and {@code index}, and cost no rendering,
 * so {@code where("split", "test")} or {@code where("smiling", "true")} is cheap. The labels match
 * those of an exported folder, so code cannot tell the two apart.
 */
public final class WorldDataset implements Dataset {
    private final FacesWorld world;
    private final int count;
    private final String name;

    /**
     * @param world the world
     * @param count how many faces
     */
    public WorldDataset(FacesWorld world, int count) {
        if (count < 1) {
            throw new VcexException("A faces-world data set needs at least one face, got " + count);
        }
        this.world = world;
        this.count = count;
        this.name = "faces-world(seed=" + world.seed() + ", count=" + count + ")";
    }

    /** @return the world behind this data set */
    public FacesWorld world() {
        return world;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public LabeledImage get(int index) {
        check(index);
        WorldSample s = world.sample(index);
        return new LabeledImage(Integer.toString(index), s.image(), labels(s.attributes(), s.split(), index), s.captions());
    }

    @Override
    public Map<String, String> labels(int index) {
        check(index);
        return labels(world.attributes(index), world.split(index), index);
    }

    private static Map<String, String> labels(FaceAttributes a, String split, int index) {
        Map<String, String> m = new LinkedHashMap<>(a.labels());
        m.put("split", split);
        m.put("index", Integer.toString(index));
        return m;
    }

    private void check(int index) {
        if (index < 0 || index >= count) {
            throw new VcexException("Index " + index + " is out of range for data set '" + name + "' of " + count
                    + " faces (valid: 0.." + (count - 1) + ")");
        }
    }

    @Override
    public ImageSpec imageSpec() {
        int s = world.config().size();
        return new ImageSpec(3, s, s);
    }

    @Override
    public List<String> labelNames() {
        List<String> names = new ArrayList<>(labels(0).keySet());
        names.sort(null);
        return names;
    }
}
