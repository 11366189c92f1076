/**
 * The built-in model zoo: models vcex trains itself in Java for its built-in domains, shipped
 * with cards (data, hyperparameters, seed, time, figures, weight hashes).
 */
package io.vcex.zoo;
