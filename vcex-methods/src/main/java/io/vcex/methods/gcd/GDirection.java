package io.vcex.methods.gcd;

/**
 * The g-direction (GCD eq. 3): the normalised gradient, at the source code (offset 0), of the
 * proxy's approximate counterfactual loss f~(z) + lambda d~(z). It points up the loss, so the line
 * search moves z - s g.
 */
public final class GDirection {

    private GDirection() {
    }

    /**
     * @param cfLoss the proxy's counterfactual loss as a function of the offset
     * @return the g-direction
     */
    public static Direction of(SmoothFunction cfLoss) {
        return new Direction("g", "g", Double.NaN, Direction.unit(cfLoss.gradient(new double[cfLoss.dimension()])));
    }
}
