/** Training recipes of the zoo: one class per kind of model, each with defaults and a tiny config. */
package io.vcex.zoo.recipes;
