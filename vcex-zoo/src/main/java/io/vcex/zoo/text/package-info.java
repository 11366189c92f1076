/** Text for the zoo's text-image encoder: a closed-vocabulary word tokeniser for faces-world captions. */
package io.vcex.zoo.text;
