package io.vcex.core.provenance;

import io.vcex.core.VcexException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files and bytes, in lower-case hex. */
public final class Hashing {

    private Hashing() {
    }

    /**
     * @param file a file
     * @return its SHA-256
     */
    public static String sha256(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new VcexException("Cannot hash " + file + ": file not found");
        }
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new VcexException("Cannot read " + file + " to hash it: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * @param bytes data
     * @return its SHA-256
     */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
