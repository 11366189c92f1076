package io.vcex.zoo.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.vcex.core.VcexException;
import io.vcex.core.config.Json;
import io.vcex.core.files.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named float32 tensors in two files any language reads without a library: {@code STEM.json}, an
 * index (format, byte order, free-form metadata, and per tensor its name, shape, byte offset and
 * element count), and {@code STEM.bin}, the values back to back, little-endian, row-major. In
 * Python: {@code torch.frombuffer(data[offset:offset + 4 * count], dtype=torch.float32).reshape(shape)}
 * or {@code numpy.frombuffer(..., "<f4")}.
 */
public final class TensorArchive {
    /** The value of the index's {@code format} field. */
    public static final String FORMAT = "vcex-tensors/1";

    private TensorArchive() {
    }

    /**
     * One tensor.
     *
     * @param name its name (unique within an archive)
     * @param shape its shape (empty for a scalar)
     * @param data its values, row-major
     */
    public record Tensor(String name, long[] shape, float[] data) {
        /** Checks that the shape holds the data. */
        public Tensor {
            long n = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("Tensor '" + name + "' has a negative dimension: " + Arrays.toString(shape));
                }
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("Tensor '" + name + "' of shape " + Arrays.toString(shape) + " needs " + n
                        + " values but has " + data.length);
            }
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    /**
     * An archive read back.
     *
     * @param meta the index's metadata
     * @param tensors the tensors by name, in file order
     */
    public record Contents(JsonNode meta, Map<String, Tensor> tensors) {
        /**
         * @param name a tensor's name
         * @return it
         * @throws VcexException when the archive has no such tensor
         */
        public Tensor get(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new VcexException("The archive has no tensor '" + name + "'; it has " + tensors.keySet());
            }
            return t;
        }
    }

    /**
     * Writes {@code STEM.json} and {@code STEM.bin} into {@code dir} (each atomically).
     *
     * @param dir the folder (created when missing)
     * @param stem the file names' stem
     * @param meta metadata for the index (JSON-serialisable), or null
     * @param tensors the tensors, in order; names must be unique
     */
    public static void write(Path dir, String stem, Map<String, ?> meta, List<Tensor> tensors) {
        List<Map<String, Object>> entries = new ArrayList<>();
        long offset = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Tensor t : tensors) {
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("Tensor name '" + t.name() + "' appears twice");
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", t.name());
            e.put("shape", t.shape());
            e.put("offset", offset);
            e.put("count", t.data().length);
            entries.add(e);
            offset += 4L * t.data().length;
        }
        AtomicFiles.write(dir.resolve(stem + ".bin"), tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (Tensor t : tensors) {
                    for (float v : t.data()) {
                        if (!buf.hasRemaining()) {
                            drain(ch, buf);
                        }
                        buf.putFloat(v);
                    }
                }
                drain(ch, buf);
            }
        });
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("format", FORMAT);
        index.put("dtype", "float32");
        index.put("byteOrder", "little-endian");
        index.put("data", stem + ".bin");
        index.put("bytes", offset);
        index.put("meta", meta == null ? Map.of() : meta);
        index.put("tensors", entries);
        Json.write(dir.resolve(stem + ".json"), index);
    }

    private static void drain(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }

    /**
     * @param dir the folder
     * @param stem the file names' stem
     * @return the archive's metadata and tensors
     * @throws VcexException for a missing file, another format, or an index that does not fit the data
     */
    public static Contents read(Path dir, String stem) {
        Path indexFile = dir.resolve(stem + ".json");
        if (!Files.isRegularFile(indexFile)) {
            throw new VcexException("Tensor archive index not found: " + indexFile);
        }
        try {
            JsonNode index = Json.mapper().readTree(indexFile.toFile());
            if (!FORMAT.equals(index.path("format").asText())) {
                throw new VcexException(indexFile + " is not a " + FORMAT + " index (format '" + index.path("format").asText() + "')");
            }
            byte[] bytes = Files.readAllBytes(dir.resolve(index.path("data").asText(stem + ".bin")));
            ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (JsonNode e : index.path("tensors")) {
                long[] shape = new long[e.path("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = e.path("shape").get(i).asLong();
                }
                long offset = e.path("offset").asLong();
                int count = e.path("count").asInt();
                if (offset < 0 || offset + 4L * count > bytes.length) {
                    throw new VcexException("Tensor '" + e.path("name").asText() + "' of " + indexFile + " lies outside its "
                            + bytes.length + "-byte data file");
                }
                float[] data = new float[count];
                buf.position(Math.toIntExact(offset));
                buf.asFloatBuffer().get(data);
                tensors.put(e.path("name").asText(), new Tensor(e.path("name").asText(), shape, data));
            }
            return new Contents(index.path("meta"), tensors);
        } catch (IOException | IllegalArgumentException e) {
            throw new VcexException("Cannot read tensor archive " + indexFile + ": " + e.getMessage(), e);
        }
    }
}
