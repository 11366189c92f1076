package io.vcex.data.dataset;

import io.vcex.core.VcexException;
import io.vcex.core.provenance.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code SHA256SUMS} file as {@code sha256sum} writes it (a 64-digit hex hash, a space, a space
 * or {@code *}, the file name) and the check of files against it.
 */
final class Sha256Sums {
    /** The file name looked for in a folder. */
    static final String FILE_NAME = "SHA256SUMS";

    private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *](.+)");

    private final Path source;
    private final Map<String, String> hashes;

    private Sha256Sums(Path source, Map<String, String> hashes) {
        this.source = source;
        this.hashes = hashes;
    }

    /**
     * @param folder a folder holding {@value #FILE_NAME}
     * @return its entries
     */
    static Sha256Sums read(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new VcexException("Checksum file not found: " + file);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new VcexException("Cannot read checksum file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> hashes = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new VcexException(file + " line " + (i + 1) + ": expected '<64 hex digits>  <file name>' but found '"
                        + line + "'");
            }
            hashes.put(m.group(2), m.group(1).toLowerCase(Locale.ROOT));
        }
        return new Sha256Sums(file, hashes);
    }

    /**
     * Reads a file of the folder and checks its SHA-256 against this list.
     *
     * @param fileName a file name listed here, in the same folder
     * @return the file's content, when its hash matches
     * @throws VcexException naming the file when it is not listed, missing, or its hash differs
     *     (the message gives the expected and the actual hash)
     */
    byte[] readVerified(String fileName) {
        String expected = hashes.get(fileName);
        if (expected == null) {
            throw new VcexException(source + " lists no checksum for " + fileName);
        }
        Path file = source.resolveSibling(fileName);
        if (!Files.isRegularFile(file)) {
            throw new VcexException("File not found: " + file + " (listed in " + source + ")");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new VcexException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        String actual = Hashing.sha256(bytes);
        if (!actual.equals(expected)) {
            throw new VcexException("File " + file + " is corrupt or not the expected version: its SHA-256 is "
                    + actual + " but " + source + " expects " + expected);
        }
        return bytes;
    }
}
