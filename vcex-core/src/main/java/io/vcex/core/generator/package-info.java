/**
 * Generator roles: latent generators (encode/decode) and style generators (editable StyleSpace).
 */
package io.vcex.core.generator;
