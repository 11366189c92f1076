package io.vcex.data.dataset;

import io.vcex.core.VcexException;
import io.vcex.core.image.ImageData;
import io.vcex.core.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Originals and counterfactuals from two folders, matched by file name (relative path), as
 * {@code vcex eval} reads them, whichever tool made the counterfactuals. Unmatched files and pairs
 * of different sizes are found at once from the files' headers; the image lists are lazy (an image
 * is read when asked for), so thousands of pairs need not fit in memory. A counterfactual is given
 * its original's channel count.
 *
 * @param ids the matched relative paths, sorted
 * @param originals the originals, in the order of ids
 * @param counterfactuals the counterfactuals, in the order of ids
 */
public record PairedFolders(List<String> ids, List<ImageData> originals, List<ImageData> counterfactuals) {

    /**
     * @param originals folder of originals
     * @param counterfactuals folder of counterfactuals
     * @return the pairs; unmatched files on either side, or a pair whose images differ in size,
     *     are errors that name the files
     */
    public static PairedFolders open(Path originals, Path counterfactuals) {
        TreeSet<String> a = images(originals, "originals");
        TreeSet<String> b = images(counterfactuals, "counterfactuals");
        TreeSet<String> onlyA = new TreeSet<>(a);
        onlyA.removeAll(b);
        TreeSet<String> onlyB = new TreeSet<>(b);
        onlyB.removeAll(a);
        if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
            StringBuilder msg = new StringBuilder("Originals and counterfactuals are matched by file name, but ");
            if (!onlyB.isEmpty()) {
                msg.append(onlyB.size()).append(" counterfactual(s) in ").append(counterfactuals)
                        .append(" have no original: ").append(some(onlyB));
            }
            if (!onlyA.isEmpty()) {
                msg.append(onlyB.isEmpty() ? "" : "; and ").append(onlyA.size()).append(" original(s) in ").append(originals)
                        .append(" have no counterfactual: ").append(some(onlyA));
            }
            throw new VcexException(msg.toString());
        }
        if (a.isEmpty()) {
            throw new VcexException("No images (PNG or JPEG) in " + originals);
        }
        List<String> ids = new ArrayList<>(a);
        int[] channels = new int[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            Path o = originals.resolve(ids.get(i));
            Path c = counterfactuals.resolve(ids.get(i));
            ImageFiles.Header ho = ImageFiles.header(o);
            ImageFiles.Header hc = ImageFiles.header(c);
            if (ho.width() != hc.width() || ho.height() != hc.height()) {
                throw new VcexException("Counterfactual " + c + " is " + hc.width() + "x" + hc.height()
                        + " but its original " + o + " is " + ho.width() + "x" + ho.height());
            }
            channels[i] = ho.channels();
        }
        return new PairedFolders(ids, new Lazy(originals, ids, channels), new Lazy(counterfactuals, ids, channels));
    }

    private static String some(TreeSet<String> names) {
        List<String> l = new ArrayList<>(names);
        return String.join(", ", l.subList(0, Math.min(5, l.size()))) + (l.size() > 5 ? ", ..." : "");
    }

    private static TreeSet<String> images(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new VcexException("Folder of " + what + " not found: " + dir);
        }
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"))) {
                    names.add(dir.relativize(p).toString());
                }
            });
        } catch (IOException e) {
            throw new VcexException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
        return names;
    }

    /** Images read on demand, with the channel count of the pair's original. */
    private static final class Lazy extends AbstractList<ImageData> {
        private final Path dir;
        private final List<String> ids;
        private final int[] channels;

        Lazy(Path dir, List<String> ids, int[] channels) {
            this.dir = dir;
            this.ids = ids;
            this.channels = channels;
        }

        @Override
        public ImageData get(int index) {
            return ImageFiles.read(dir.resolve(ids.get(index))).withChannels(channels[index]);
        }

        @Override
        public int size() {
            return ids.size();
        }
    }
}
