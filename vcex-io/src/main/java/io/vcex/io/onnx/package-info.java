/**
 * ONNX classifiers (format {@code onnx} of a {@code vcex-model.json}) run by ONNX Runtime as
 * black boxes: scores only, for GCD and the metrics ({@link io.vcex.io.onnx.OnnxClassifier}).
 */
package io.vcex.io.onnx;
