/** Provenance of results: config, model hashes, seed and versions. */
package io.vcex.core.provenance;
