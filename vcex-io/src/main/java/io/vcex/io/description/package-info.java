/**
 * The model description ({@code vcex-model.json}): what a model file vcex did not train needs to
 * be used as a classifier (format, file, input tensor, value range, normalisation, class names,
 * output kind, the adapter from vcex images, expected hashes), validated field by field; the
 * {@link io.vcex.io.description.ModelInput} that carries out its adapter for every loader,
 * the {@link io.vcex.io.description.DescribedClassifier} every loader returns (a {@link
 * io.vcex.io.description.FileClassifier} when the format is white-box), and the {@link
 * io.vcex.io.description.HttpEndpoint} of a classifier behind an HTTP API, and the settings of
 * TorchScript denoisers ({@link io.vcex.io.description.DenoiserSettings}: schedule, timestep type)
 * and latent generators ({@link io.vcex.io.description.GeneratorSettings}: latent shape, methods).
 */
package io.vcex.io.description;
