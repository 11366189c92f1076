/**
 * vcex core: the layer every other module stands on. It holds no algorithm, only the roles
 * (interfaces), images as tensors, the explicit execution context, configs and provenance.
 */
package io.vcex.core;
