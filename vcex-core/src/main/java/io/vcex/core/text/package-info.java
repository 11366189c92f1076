/** The text-image encoder role (CLIP-like joint embedding). */
package io.vcex.core.text;
