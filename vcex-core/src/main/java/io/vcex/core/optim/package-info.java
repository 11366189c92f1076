/** Optimisers whose state goes into checkpoints, so that an interrupted training resumes exactly. */
package io.vcex.core.optim;
