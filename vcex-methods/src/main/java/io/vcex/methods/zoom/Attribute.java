package io.vcex.methods.zoom;

/**
 * An attribute to diagnose, as the user named it and as the text-image encoder reads it.
 *
 * @param name the short name shown in tables and histograms ("eyeglasses")
 * @param phrase the text describing a face with it ("a face with eyeglasses"); the direction is
 *     this phrase's embedding minus the neutral phrase's, each averaged over the prompt templates
 * @param neutral the neutral phrase subtracted ("a face")
 */
public record Attribute(String name, String phrase, String neutral) {
}
