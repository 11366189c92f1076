/** Training and evaluation data of the zoo: faces rendered into memory with their ground truth. */
package io.vcex.zoo.data;
