package io.vcex.data.dataset;

import io.vcex.core.image.ImageSpec;
import java.util.List;
import java.util.Map;

/** A view of some items of another data set, in a given order; see {@link Dataset#subset}. */
final class SubsetDataset implements Dataset {
    private final Dataset parent;
    private final int[] indices;
    private final String name;

    /**
     * @param parent the data set viewed
     * @param indices valid indices into it, owned by this view
     * @param name the view's name
     */
    SubsetDataset(Dataset parent, int[] indices, String name) {
        this.parent = parent;
        this.indices = indices;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public LabeledImage get(int index) {
        return parent.get(indices[Datasets.checkIndex(this, index)]);
    }

    @Override
    public Map<String, String> labels(int index) {
        return parent.labels(indices[Datasets.checkIndex(this, index)]);
    }

    @Override
    public ImageSpec imageSpec() {
        return parent.imageSpec();
    }

    @Override
    public List<String> labelNames() {
        return parent.labelNames();
    }
}
