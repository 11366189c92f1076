/**
 * Classifiers behind an HTTP API, the "model only available through an API" case: {@link
 * io.vcex.io.http.HttpClassifier} sends batches of images as JSON to a configured endpoint and
 * reads scores back, with timeouts, retries with exponential back-off, a bound on requests per
 * second ({@link io.vcex.io.http.RateLimiter}) and on the batch size, and a precise error when an
 * answer does not match the model's description. Black-box only: no gradient crosses the wire.
 */
package io.vcex.io.http;
