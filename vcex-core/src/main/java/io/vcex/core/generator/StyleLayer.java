package io.vcex.core.generator;

/**
 * One layer of a style generator's StyleSpace: the affine "style" channels that modulate one
 * convolution.
 *
 * @param name the layer's name, for example "b16.conv1"
 * @param channels how many style channels it has
 * @param resolution the feature-map resolution it acts on (coarse, medium, fine grouping)
 */
public record StyleLayer(String name, int channels, int resolution) {
}
