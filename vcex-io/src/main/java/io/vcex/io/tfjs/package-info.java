/**
 * A TensorFlow.js graph-model interpreter on the engine's ops: the {@code model.json} and its
 * weight shards ({@link io.vcex.io.tfjs.TfjsModel}), TensorFlow's image ops with their layouts
 * and padding rules ({@link io.vcex.io.tfjs.TfjsOps}), the compiled graph ({@link
 * io.vcex.io.tfjs.TfjsGraph}) and the white-box classifier built from a description ({@link
 * io.vcex.io.tfjs.TfjsClassifier}).
 */
package io.vcex.io.tfjs;
