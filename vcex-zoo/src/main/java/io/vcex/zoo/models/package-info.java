/** Zoo networks wrapped in vcex's roles (classifier, oracle, feature net, text-image encoder). */
package io.vcex.zoo.models;
