package io.vcex.methods.gcd;

/** How the arbitrary sign of an h-direction (a Hessian eigenvector) is fixed. */
public enum HSign {
    /** Flip the eigenvector when its eigenvalue is positive (the authors' code; default). */
    EIGENVALUE,
    /**
     * Orient it so that the line search's move z - s v descends the proxy's first-order loss
     * (v . g >= 0); a vcex option, useful when the search runs over positive steps only.
     */
    GRADIENT
}
