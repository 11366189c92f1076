/**
 * Classifiers trained by vcex itself (format {@code vcex} of a {@code vcex-model.json}): a
 * parameter file of one of the zoo's architectures, white-box. {@code vcex train classifier}
 * writes such folders.
 */
package io.vcex.io.vcexnet;
