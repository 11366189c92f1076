/**
 * The model description ({@code vcex-model.json}): what a model file vcex did not train needs to
 * be used as a classifier (format, file, input tensor, value range, normalisation, class names,
 * output kind, the adapter from vcex images, expected hashes), validated field by field; the
 * {@link io.vcex.io.description.ModelInput} that carries out its adapter for every loader, and
 * the {@link io.vcex.io.description.FileClassifier} every loader returns.
 */
package io.vcex.io.description;
