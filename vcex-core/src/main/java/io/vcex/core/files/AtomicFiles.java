package io.vcex.core.files;

import io.vcex.core.VcexException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writing files and folders so that a reader never sees half of them and an interrupted write
 * loses nothing: everything is written beside the target under a hidden name, then renamed into
 * place. Files get ordinary permissions (rw-r--r--), not the owner-only ones of temporary files.
 */
public final class AtomicFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private AtomicFiles() {
    }

    /** Writes into a path that is renamed into place afterwards. */
    @FunctionalInterface
    public interface Writer {
        /**
         * @param temporary where to write
         * @throws IOException on failure
         */
        void write(Path temporary) throws IOException;
    }

    /**
     * @param target the file to create or replace
     * @param writer writes the content into the temporary file it is given
     */
    public static void write(Path target, Writer writer) {
        Path file = target.toAbsolutePath().normalize();
        try {
            Path parent = file.getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
            try {
                writer.write(tmp);
                readable(tmp);
                move(tmp, file);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | UncheckedIOException e) {
            throw new VcexException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fills a hidden sibling folder, then swaps it in for {@code target}. An existing target is
     * replaced only when it is empty or holds {@code marker} (it was written by the same kind of
     * command before); any other folder is an error, so a user's files are never overwritten.
     *
     * @param target the folder to create or replace
     * @param marker a file name that identifies folders this kind of command wrote, or null to
     *     replace any folder
     * @param writer fills the temporary folder it is given
     */
    public static void replaceDirectory(Path target, String marker, Writer writer) {
        Path dir = target.toAbsolutePath().normalize();
        checkReplaceable(dir, marker);
        Path tmp = dir.resolveSibling("." + dir.getFileName() + ".partial");
        Path old = dir.resolveSibling("." + dir.getFileName() + ".old");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            writer.write(tmp);
            deleteTree(old);
            if (Files.exists(dir)) {
                Files.move(dir, old);
            }
            move(tmp, dir);
            deleteTree(old);
        } catch (IOException | UncheckedIOException e) {
            throw new VcexException("Cannot write " + dir + ": " + e.getMessage(), e);
        } finally {
            try {
                deleteTree(tmp);
            } catch (IOException e) {
                // a leftover hidden .partial folder is replaced by the next write
            }
        }
    }

    private static void checkReplaceable(Path dir, String marker) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new VcexException("Output " + dir + " exists and is a file, not a folder");
        }
        if (marker == null || Files.exists(dir.resolve(marker))) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                throw new VcexException("Output folder " + dir + " is not empty and was not written by this command "
                        + "(it has no " + marker + "); choose another --out so nothing of yours is overwritten");
            }
        } catch (IOException e) {
            throw new VcexException("Cannot read output folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Renames {@code from} to {@code to}, atomically where the file system allows.
     *
     * @param from source
     * @param to target, replaced if present
     * @throws IOException when the move fails
     */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * @param path a file or folder, which need not exist
     * @throws IOException when something cannot be deleted
     */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void readable(Path file) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }
}
