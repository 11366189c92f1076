package io.vcex.core.provenance;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions recorded in every provenance: vcex, the engine, Java. */
public final class Versions {
    private static final Properties BUILD = load();

    private Versions() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("/io/vcex/core/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource leaves the versions as "unknown"
        }
        return p;
    }

    /** @return the vcex version of this build */
    public static String vcex() {
        return BUILD.getProperty("vcex.version", "unknown");
    }

    /** @return the Deep Java Library version vcex was built against */
    public static String djl() {
        return BUILD.getProperty("djl.version", "unknown");
    }

    /** @return the libtorch version of the engine's natives */
    public static String libtorch() {
        return BUILD.getProperty("libtorch.version", "unknown");
    }

    /** @return the running Java version */
    public static String java() {
        return System.getProperty("java.version");
    }
}
