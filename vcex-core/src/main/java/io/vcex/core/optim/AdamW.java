package io.vcex.core.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.vcex.core.VcexException;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter 2019): Adam moments with bias correction and decoupled weight
 * decay, p <- p - lr (m_hat / (sqrt(v_hat) + eps) + wd p); with wd = 0 it is Adam (Kingma and Ba
 * 2015). Written here rather than taken from DJL because its state (the moments and the step
 * count) must be saved in checkpoints so that a resumed run continues exactly where it stopped.
 * The one optimiser of vcex: the zoo's training loop, CF-CLIP's mapper and ZOOM's counterfactual
 * training use it.
 */
public final class AdamW implements AutoCloseable {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final NDManager manager;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private long t;

    /**
     * @param parent scope whose child holds the moments
     * @param params the parameters to optimise (their shapes size the moments)
     * @param beta1 first-moment decay (0.9)
     * @param beta2 second-moment decay (0.999)
     * @param eps denominator guard (1e-8)
     */
    public AdamW(NDManager parent, List<NDArray> params, double beta1, double beta2, double eps) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.manager = parent.newSubManager();
        for (NDArray p : params) {
            m.add(manager.zeros(p.getShape(), p.getDataType()));
            v.add(manager.zeros(p.getShape(), p.getDataType()));
        }
    }

    /**
     * Sets the parameters' gradients to zero before a backward pass (the engine adds every pass to
     * them). Overwritten, not multiplied: 0 * NaN would stay NaN and poison later steps.
     *
     * @param scope the step's scope
     * @param params the parameters
     */
    public static void zeroGradients(NDManager scope, List<NDArray> params) {
        for (NDArray p : params) {
            if (p.hasGradient()) {
                NDArray g = p.getGradient();
                g.attach(scope);
                g.set(new NDIndex("..."), 0f);
            }
        }
    }

    /** @return steps taken */
    public long steps() {
        return t;
    }

    /**
     * One update from the gradients the last backward pass left on {@code params} (the caller
     * clears them before that pass: the engine adds every pass's gradients to the weights').
     *
     * @param scope the step's scope (temporaries die with it)
     * @param params the same parameters, in the same order, as at construction
     * @param lr learning rate
     * @param weightDecay decoupled weight decay
     */
    public void update(NDManager scope, List<NDArray> params, double lr, double weightDecay) {
        if (params.size() != m.size()) {
            throw new VcexException("optimizer built for " + m.size() + " parameters was given " + params.size());
        }
        t++;
        float c1 = (float) (1 - Math.pow(beta1, t));
        float c2 = (float) (1 - Math.pow(beta2, t));
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray g = p.getGradient();
            g.attach(scope);
            NDArray mi = m.get(i);
            NDArray vi = v.get(i);
            scope.tempAttachAll(p, mi, vi);
            mi.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
            vi.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
            NDArray step = mi.div(c1).divi(vi.div(c2).sqrt().addi((float) eps));
            if (weightDecay > 0) {
                step.addi(p.mul((float) weightDecay));
            }
            p.subi(step.muli((float) lr));
        }
    }

    /**
     * @param scope scope of the step-count array (the moments are this optimiser's own)
     * @return the state to checkpoint: the moments, then the step count
     */
    public NDList state(NDManager scope) {
        NDList list = new NDList();
        list.addAll(m);
        list.addAll(v);
        list.add(scope.create(new long[] {t}));
        return list;
    }

    /**
     * @param state a list made by {@link #state()} for the same parameters
     */
    public void restore(NDList state) {
        if (state.size() != 2 * m.size() + 1) {
            throw new VcexException("optimizer checkpoint has " + state.size() + " arrays, expected " + (2 * m.size() + 1));
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
