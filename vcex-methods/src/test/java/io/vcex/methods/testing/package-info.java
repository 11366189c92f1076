/** Models with known, hand-computable behaviour shared by the method tests. */
package io.vcex.methods.testing;
