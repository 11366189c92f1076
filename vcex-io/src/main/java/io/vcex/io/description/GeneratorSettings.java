package io.vcex.io.description;

import io.vcex.core.config.ConfigException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code generator} object of a {@code vcex-model.json} of kind {@code generator}: the shape
 * of one latent code and the names of the module's encode and decode methods.
 *
 * <pre>{@code
 * "generator": {"latent": [8], "encode": "encode", "decode": "decode"}
 * }</pre>
 *
 * @param latent the shape of one latent code, without the batch axis (1 to 4 positive sizes)
 * @param encode the method that maps a batch of images to codes (default {@code encode})
 * @param decode the method that maps a batch of codes to images (default {@code decode})
 */
public record GeneratorSettings(List<Integer> latent, String encode, String decode) {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Validates every field and fills the default method names. */
    public GeneratorSettings {
        if (latent == null || latent.isEmpty() || latent.size() > 4) {
            throw new ConfigException("generator.latent", latent, "the shape of one latent code without the batch "
                    + "axis, 1 to 4 sizes, is required (for example [8] or [4, 8, 8])");
        }
        for (Integer s : latent) {
            if (s == null || s < 1) {
                throw new ConfigException("generator.latent", latent, "sizes must be positive whole numbers");
            }
        }
        latent = List.copyOf(latent);
        encode = method("generator.encode", encode, "encode");
        decode = method("generator.decode", decode, "decode");
    }

    private static String method(String field, String name, String fallback) {
        String n = name == null ? fallback : name;
        if (!IDENTIFIER.matcher(n).matches()) {
            throw new ConfigException(field, name, "a method name of the TorchScript module (letters, digits, _)");
        }
        return n;
    }

    /** @return the latent shape as sizes */
    public long[] latentShape() {
        return latent.stream().mapToLong(Integer::longValue).toArray();
    }
}
