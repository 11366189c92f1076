package io.vcex.zoo.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.context.Progress;
import io.vcex.core.image.ImageData;
import io.vcex.data.world.FaceAttributes;
import io.vcex.data.world.FacesWorld;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Faces rendered once into memory as bytes (a 64x64 RGB face is 12 KB), with their ground truth,
 * for training and evaluation. Rendering runs on every available core; the result does not
 * depend on how many.
 */
public final class FaceTensors {
    private final FacesWorld world;
    private final int first; // index in the world of position 0, or -1 for faces given by attributes
    private final int size;
    private final byte[] pixels;
    private final List<FaceAttributes> attributes;
    private final int perImage;
    private final int side;

    private FaceTensors(FacesWorld world, int first, int size, byte[] pixels, List<FaceAttributes> attributes) {
        this.world = world;
        this.first = first;
        this.size = size;
        this.pixels = pixels;
        this.attributes = attributes;
        this.side = world.config().size();
        this.perImage = 3 * side * side;
    }

    /**
     * @param world the world
     * @param first first face index
     * @param count how many faces
     * @param progress where progress goes
     * @return faces first..first+count-1, rendered
     */
    public static FaceTensors render(FacesWorld world, int first, int count, Progress progress) {
        return render(world, first, count, i -> world.attributes(first + i), progress);
    }

    /**
     * @param world the world (its renderer and size)
     * @param faces any ground truths, for example edited faces
     * @param progress where progress goes
     * @return those faces, rendered
     */
    public static FaceTensors render(FacesWorld world, List<FaceAttributes> faces, Progress progress) {
        return render(world, -1, faces.size(), faces::get, progress);
    }

    private static FaceTensors render(FacesWorld world, int first, int count,
            java.util.function.IntFunction<FaceAttributes> face, Progress progress) {
        int side = world.config().size();
        int per = 3 * side * side;
        byte[] px = new byte[per * count];
        FaceAttributes[] attrs = new FaceAttributes[count];
        AtomicInteger done = new AtomicInteger();
        try (Progress.Task task = progress.start("rendering " + count + " faces", count)) {
            IntStream.range(0, count).parallel().forEach(i -> {
                FaceAttributes a = face.apply(i);
                attrs[i] = a;
                float[] f = world.render(a).pixels();
                for (int k = 0; k < per; k++) {
                    px[i * per + k] = (byte) Math.round(f[k] * 255f);
                }
                if (done.incrementAndGet() % 64 == 0) {
                    synchronized (task) {
                        task.step(64);
                    }
                }
            });
        }
        return new FaceTensors(world, first, count, px, List.of(attrs));
    }

    /** @return number of faces */
    public int size() {
        return size;
    }

    /** @return the world they come from */
    public FacesWorld world() {
        return world;
    }

    /**
     * @param i 0-based position in this set
     * @return the ground truth of that face
     */
    public FaceAttributes attributes(int i) {
        return attributes.get(i);
    }

    /**
     * @param i 0-based position in this set
     * @return the face's index in its world, or -1 for faces given by their attributes
     */
    public int worldIndex(int i) {
        return first < 0 ? -1 : first + i;
    }

    /**
     * @param i 0-based position
     * @return the face as an image (8-bit precision)
     */
    public ImageData image(int i) {
        float[] f = new float[perImage];
        for (int k = 0; k < perImage; k++) {
            f[k] = (pixels[i * perImage + k] & 0xff) / 255f;
        }
        return new ImageData(3, side, side, f);
    }

    /**
     * @param manager scope of the result
     * @param indices positions in this set
     * @return an NCHW float batch in [0, 1]
     */
    public NDArray batch(NDManager manager, int[] indices) {
        ByteBuffer buf = ByteBuffer.allocateDirect(indices.length * perImage);
        for (int i : indices) {
            buf.put(pixels, i * perImage, perImage);
        }
        buf.flip();
        return manager.create(buf, new Shape(indices.length, 3, side, side), DataType.UINT8)
                .toType(DataType.FLOAT32, false).divi(255f);
    }

    /**
     * @param from first position
     * @param to last position, exclusive
     * @return positions from..to-1
     */
    public static int[] range(int from, int to) {
        return IntStream.range(from, to).toArray();
    }

    /**
     * @param predicate which faces
     * @return the positions of the faces that satisfy it
     */
    public int[] where(java.util.function.Predicate<FaceAttributes> predicate) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (predicate.test(attributes.get(i))) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
