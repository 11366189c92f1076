package io.vcex.io.description;

import io.vcex.core.config.ConfigException;
import java.util.List;

/**
 * The {@code network} object of a {@code vcex-model.json} of format {@code vcex}: which of vcex's
 * architectures the parameter file holds, so that vcex can build the network and load the file
 * into it.
 *
 * <pre>{@code
 * "network": {"architecture": "conv5", "width": 16}
 * }</pre>
 *
 * @param architecture {@value #CONV5}: five conv-BN-ReLU stages of widths w, 2w, 2w, 4w, 4w with
 *     strides 2, 2, 1, 2, 2, global average pooling and a linear layer with one logit per class
 *     name (the zoo's backbone, {@code io.vcex.zoo.nn.FeatureBlock})
 * @param width w, the width of the first stage
 */
public record NetworkSettings(String architecture, Integer width) {
    /** The one architecture so far. */
    public static final String CONV5 = "conv5";
    /** Names of {@link #architecture()}. */
    public static final List<String> ARCHITECTURES = List.of(CONV5);

    /** Validates every field; errors name it. */
    public NetworkSettings {
        if (architecture == null || !ARCHITECTURES.contains(architecture)) {
            throw new ConfigException("network.architecture", architecture, "must be one of " + ARCHITECTURES);
        }
        if (width == null || width < 1 || width > 1024) {
            throw new ConfigException("network.width", width, "the first stage's width, a whole number from 1 to 1024");
        }
    }
}
