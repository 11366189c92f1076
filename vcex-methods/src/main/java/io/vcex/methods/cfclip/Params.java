package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vcex.core.VcexException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable arrays of a mapper, by name in creation order, all in one scope this object owns.
 * Networks here are written so that an activation is always the first operand of every operation
 * (the engine puts a result in its first operand's scope), so a forward pass leaves nothing in
 * this scope.
 */
final class Params implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();

    /** @param parent the scope whose child holds the arrays */
    Params(NDManager parent) {
        this.manager = parent.newSubManager();
    }

    /**
     * @param name a unique name
     * @param values initial values
     * @param shape their shape
     * @return the new trainable array
     */
    NDArray add(String name, float[] values, Shape shape) {
        if (arrays.containsKey(name)) {
            throw new IllegalStateException("parameter " + name + " twice");
        }
        NDArray a = manager.create(values, shape);
        a.setName(name);
        a.setRequiresGradient(true);
        arrays.put(name, a);
        return a;
    }

    /** @return the arrays in creation order */
    List<NDArray> arrays() {
        return new ArrayList<>(arrays.values());
    }

    /** @return the names in creation order */
    List<String> names() {
        return new ArrayList<>(arrays.keySet());
    }

    /** @return the shapes in creation order */
    List<long[]> shapes() {
        List<long[]> out = new ArrayList<>();
        arrays.values().forEach(a -> out.add(a.getShape().getShape()));
        return out;
    }

    /** @return how many values in all */
    long count() {
        long n = 0;
        for (NDArray a : arrays.values()) {
            n += a.size();
        }
        return n;
    }

    /** @return the values, encoded (names and shapes included) */
    byte[] encode() {
        return new NDList(arrays()).encode();
    }

    /**
     * Sets every array from an encoding of the same architecture.
     *
     * @param bytes what {@link #encode()} wrote
     * @param source where the bytes came from, for messages
     */
    void decode(byte[] bytes, String source) {
        try (NDManager scope = manager.newSubManager()) {
            NDList stored;
            try {
                stored = NDList.decode(scope, bytes);
            } catch (RuntimeException e) {
                throw new VcexException(source + " is not a mapper parameter file (" + e.getMessage() + ")", e);
            }
            List<NDArray> mine = arrays();
            if (stored.size() != mine.size()) {
                throw new VcexException(source + " holds " + stored.size() + " arrays but this mapper has " + mine.size()
                        + "; it was written for another architecture");
            }
            for (int i = 0; i < mine.size(); i++) {
                if (!stored.get(i).getShape().equals(mine.get(i).getShape())) {
                    throw new VcexException(source + ": parameter " + names().get(i) + " has shape " + stored.get(i).getShape()
                            + " but this mapper needs " + mine.get(i).getShape());
                }
                mine.get(i).set(stored.get(i).toFloatArray());
            }
        }
    }

    /** @return the scope of the arrays */
    NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
