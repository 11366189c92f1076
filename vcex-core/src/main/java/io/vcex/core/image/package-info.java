/**
 * Images in the toolkit's one convention (CHW floats in [0, 1], see {@link io.vcex.core.image.ValueRange}),
 * their files (PNG and JPEG in, PNG out), their batches as engine tensors, and image grids.
 */
package io.vcex.core.image;
