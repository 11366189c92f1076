/**
 * TorchScript models (format {@code torchscript} of a {@code vcex-model.json}) run by the PyTorch
 * engine: classifiers as white-box classifiers ({@link io.vcex.io.torchscript.TorchScriptClassifier}),
 * eps-prediction denoisers for DVCE and the samplers ({@link
 * io.vcex.io.torchscript.TorchScriptDenoiser}) and encode/decode latent generators for GCD
 * ({@link io.vcex.io.torchscript.TorchScriptGenerator}), all on one {@link
 * io.vcex.io.torchscript.TorchScriptModule} that makes input gradients work with vcex's autograd.
 * The only package of vcex that uses the engine's own classes.
 */
package io.vcex.io.torchscript;
