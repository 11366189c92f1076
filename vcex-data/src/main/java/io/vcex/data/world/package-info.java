/**
 * The procedural faces world: vcex's stand-in for CelebA, where every image comes with its ground
 * truth and every attribute can be changed to render the true counterfactual.
 *
 * <p>Attributes: smiling, eyeglasses, mustache, beard, old (grey hair, wrinkles), hat (with
 * colour), bangs, lipstick (with colour), hair colour, skin tone, background, plus nuisance
 * (position, size, rotation, lighting, small shape changes). The <em>in-prior</em> world
 * ({@link io.vcex.data.world.WorldConfig#inPrior()}) is what generators are trained on; the
 * <em>full</em> world adds counterfactual hair and lipstick colours. Planted correlations
 * ({@link io.vcex.data.world.Coupling}) make biased training sets.
 */
package io.vcex.data.world;
