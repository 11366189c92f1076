package io.vcex.methods.cfclip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.vcex.core.VcexException;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba 2015), the optimiser of CF-CLIP's sec. 5.1.3: moments with bias correction,
 * p <- p - lr m_hat / (sqrt(v_hat) + eps). vcex-methods does not depend on the zoo's trainer, and
 * the state must go into checkpoints so that a resumed run continues exactly, so it is written
 * here (a dozen lines of tensor arithmetic).
 */
final class Adam implements AutoCloseable {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;

    private final NDManager manager;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final double lr;
    private long t;

    /**
     * @param parent scope whose child holds the moments
     * @param params the parameters (their shapes size the moments)
     * @param lr the step size
     */
    Adam(NDManager parent, List<NDArray> params, double lr) {
        this.manager = parent.newSubManager();
        this.lr = lr;
        for (NDArray p : params) {
            m.add(manager.zeros(p.getShape(), p.getDataType()));
            v.add(manager.zeros(p.getShape(), p.getDataType()));
        }
    }

    /** @return updates done */
    long steps() {
        return t;
    }

    /**
     * Sets the parameters' gradients to zero (the engine adds every backward pass to them).
     *
     * @param scope the step's scope
     * @param params the parameters
     */
    static void zeroGradients(NDManager scope, List<NDArray> params) {
        for (NDArray p : params) {
            if (p.hasGradient()) {
                NDArray g = p.getGradient();
                g.attach(scope);
                g.set(new NDIndex("..."), 0f); // overwrite: 0 * NaN would stay NaN
            }
        }
    }

    /**
     * @param scope the step's scope
     * @param params the parameters
     * @return whether every gradient is finite (no update is made otherwise)
     */
    static boolean finiteGradients(NDManager scope, List<NDArray> params) {
        NDArray total = null;
        for (NDArray p : params) {
            NDArray g = p.getGradient();
            g.attach(scope);
            NDArray s = g.abs().sum();
            total = total == null ? s : total.add(s);
        }
        return total == null || Float.isFinite(total.getFloat()); // one read-back instead of one per array
    }

    /**
     * One update from the gradients the last backward pass left on the parameters.
     *
     * @param scope the step's scope (temporaries die with it)
     * @param params the same parameters, in the same order, as at construction
     */
    void update(NDManager scope, List<NDArray> params) {
        if (params.size() != m.size()) {
            throw new VcexException("optimiser built for " + m.size() + " parameters was given " + params.size());
        }
        t++;
        float c1 = (float) (1 - Math.pow(BETA1, t));
        float c2 = (float) (1 - Math.pow(BETA2, t));
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray g = p.getGradient();
            g.attach(scope);
            NDArray mi = m.get(i);
            NDArray vi = v.get(i);
            scope.tempAttachAll(p, mi, vi);
            mi.muli(BETA1).addi(g.mul(1 - BETA1));
            vi.muli(BETA2).addi(g.square().muli(1 - BETA2));
            NDArray step = mi.div(c1).divi(vi.div(c2).sqrt().addi(EPS)).muli((float) lr);
            p.subi(step);
        }
    }

    /**
     * @param scope scope of the step-count array
     * @return the moments, then the step count
     */
    NDList state(NDManager scope) {
        NDList list = new NDList();
        list.addAll(m);
        list.addAll(v);
        list.add(scope.create(new long[] {t}));
        return list;
    }

    /** @param state a list made by {@link #state} for the same parameters */
    void restore(NDList state) {
        if (state.size() != 2 * m.size() + 1) {
            throw new VcexException("optimiser checkpoint has " + state.size() + " arrays, expected " + (2 * m.size() + 1));
        }
        for (int i = 0; i < m.size(); i++) {
            m.get(i).set(state.get(i).toFloatArray());
            v.get(i).set(state.get(m.size() + i).toFloatArray());
        }
        t = state.get(2 * m.size()).toLongArray()[0];
    }

    @Override
    public void close() {
        manager.close();
    }
}
