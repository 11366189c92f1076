package io.vcex.methods.gcd;

/**
 * A twice-differentiable scalar function of a code offset, with its exact gradient and Hessian:
 * what the g- and h-directions are read from (eqs. 3 and 4). The proxy network is one; tests use
 * functions with known derivatives.
 */
public interface SmoothFunction {

    /** @return the length of the argument */
    int dimension();

    /**
     * @param x the argument
     * @return the value
     */
    double value(double[] x);

    /**
     * @param x the argument
     * @return the gradient
     */
    double[] gradient(double[] x);

    /**
     * @param x the argument
     * @return the Hessian, symmetric, dimension x dimension
     */
    double[][] hessian(double[] x);
}
