/** Zoo networks written out for other frameworks: named float32 tensors with reference inputs and outputs. */
package io.vcex.zoo.export;
