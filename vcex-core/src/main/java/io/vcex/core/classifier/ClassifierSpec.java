package io.vcex.core.classifier;

import io.vcex.core.VcexException;
import io.vcex.core.config.ConfigException;
import io.vcex.core.image.ImageSpec;
import java.util.List;

/**
 * What a classifier takes and says: its input shape (images in [0, 1]; any other range or
 * normalisation the model needs is its own adapter's business), its class names and how its raw
 * outputs become probabilities.
 *
 * @param name the model's name
 * @param input the image shape it takes
 * @param classNames one name per class (two for {@link OutputKind#BINARY_LOGIT})
 * @param outputKind how raw outputs become probabilities
 */
public record ClassifierSpec(String name, ImageSpec input, List<String> classNames, OutputKind outputKind) {

    /** Validates the spec; messages name the field. */
    public ClassifierSpec {
        if (name == null || name.isBlank()) {
            throw new ConfigException("name", name, "a classifier needs a name");
        }
        if (input == null) {
            throw new ConfigException("input", null, "is required");
        }
        if (classNames == null || classNames.isEmpty()) {
            throw new ConfigException("classNames", classNames, "at least one class name is required");
        }
        if (outputKind == OutputKind.BINARY_LOGIT && classNames.size() != 2) {
            throw new ConfigException("classNames", classNames, "a binary-logit classifier needs exactly two class names");
        }
        if (classNames.stream().distinct().count() != classNames.size()) {
            throw new ConfigException("classNames", classNames, "class names must be distinct");
        }
        classNames = List.copyOf(classNames);
    }

    /** @return the number of raw outputs of the model */
    public int outputs() {
        return outputKind.outputs(classNames.size());
    }

    /**
     * @param classOrIndex a class name or a 0-based index
     * @return the class index
     */
    public int classIndex(String classOrIndex) {
        int i = classNames.indexOf(classOrIndex);
        if (i >= 0) {
            return i;
        }
        try {
            int n = Integer.parseInt(classOrIndex.trim());
            if (n >= 0 && n < classNames.size()) {
                return n;
            }
        } catch (NumberFormatException e) {
            // not an index either; reported below
        }
        throw new VcexException("Classifier '" + name + "' has no class '" + classOrIndex + "'; its classes are "
                + classNames + " (or their indices 0.." + (classNames.size() - 1) + ")");
    }
}
