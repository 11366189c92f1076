/**
 * The explicit execution context: engine scopes, seeded and split random streams, progress.
 */
package io.vcex.core.context;
