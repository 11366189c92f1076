package io.vcex.core;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The vcex installation folder (the repository root): vendored data ({@code data/}), shipped
 * model weights ({@code models/}) and the engine cache live under it.
 *
 * <p>Found from, in order: the system property {@code vcex.home} (the launcher and the test
 * runner set it), the environment variable {@code VCEX_HOME}, the nearest folder above the
 * working directory that holds the {@code vcex} launcher and a {@code pom.xml}.
 */
public final class VcexHome {

    private VcexHome() {
    }

    /** @return the vcex home folder */
    public static Path locate() {
        String prop = System.getProperty("vcex.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        String env = System.getenv("VCEX_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("vcex")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new VcexException("Cannot find the vcex home folder: set -Dvcex.home or VCEX_HOME to the "
                + "repository root, or run from inside the repository");
    }

    /**
     * @param relative a path under the home folder, for example "data/mnist"
     * @return the absolute path
     */
    public static Path resolve(String relative) {
        return locate().resolve(relative);
    }
}
