/** The denoiser role and its noise schedule (pure arithmetic, respacing). */
package io.vcex.core.diffusion;
