/** Model cards: provenance, figures and weight hashes of shipped models. */
package io.vcex.zoo.card;
