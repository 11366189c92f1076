/** Training: AdamW with checkpointable state and a resumable loop. */
package io.vcex.zoo.train;
