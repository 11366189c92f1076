/**
 * GCD, Global Counterfactual Directions (Sobieski and Biecek, ECCV 2024): black-box discovery of
 * directions in a generator's latent space that flip a classifier's decision for a whole data set,
 * found from a single source image through a proxy network, and BB-LIG, the black-box latent
 * integrated gradients built on them.
 *
 * <p>The pipeline, one class per step: {@link io.vcex.methods.gcd.ProxyData} (perturbations of the
 * source code, decoded and scored), {@link io.vcex.methods.gcd.ProxyNetwork} (the MLP that
 * approximates score and distance), {@link io.vcex.methods.gcd.GDirection} and
 * {@link io.vcex.methods.gcd.HDirections} (eqs. 3 and 4), {@link io.vcex.methods.gcd.LineSearch}
 * (eq. 5), {@link io.vcex.methods.gcd.Transfer} (global flip rate), {@link io.vcex.methods.gcd.BbLig}
 * (eq. 6); {@link io.vcex.methods.gcd.Gcd} composes the discovery with progress and checkpoints.
 * The classifier is reached only through {@link io.vcex.core.classifier.BlackBoxClassifier}.
 */
package io.vcex.methods.gcd;
