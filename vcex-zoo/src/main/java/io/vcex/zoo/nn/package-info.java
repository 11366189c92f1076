/** Networks of the zoo: architectures as DJL blocks and a seeded, savable network holder. */
package io.vcex.zoo.nn;
