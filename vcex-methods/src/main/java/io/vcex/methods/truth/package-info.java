/**
 * Ground-truth diagnosis in the faces world: classifier sensitivity to exactly rendered
 * counterfactuals, the reference that generator-based methods are checked against.
 */
package io.vcex.methods.truth;
