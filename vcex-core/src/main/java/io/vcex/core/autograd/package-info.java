/** Input gradients through the engine's autograd, with its pitfalls handled in one place. */
package io.vcex.core.autograd;
