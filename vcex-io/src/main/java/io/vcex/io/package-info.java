/**
 * Users' and external models: model folders ({@code vcex-model.json} beside the model's files)
 * loaded after a hash check as classifiers (white-box: TensorFlow.js, TorchScript; black-box:
 * ONNX, behind an HTTP API), TorchScript denoisers and latent generators, and the pretrained
 * models shipped with vcex ({@link io.vcex.io.BuiltInModels}).
 */
package io.vcex.io;
