/**
 * DVCE: diffusion visual counterfactual explanations (Augustin, Boreiko, Croce and Hein, NeurIPS
 * 2022), and the blended-diffusion-style baseline of the paper's comparison. {@link
 * io.vcex.methods.dvce.Dvce} runs the guided reverse diffusion; {@link
 * io.vcex.methods.dvce.ConeProjection} is sec. 3.2; {@link io.vcex.methods.dvce.DvceConfig} holds
 * the authors' defaults.
 */
package io.vcex.methods.dvce;
