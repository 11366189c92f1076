/**
 * Users' and external models: model folders ({@code vcex-model.json} beside the model's files)
 * loaded as classifiers (white-box, or black-box behind an HTTP API) after a hash check, and the
 * pretrained models shipped with vcex ({@link io.vcex.io.BuiltInModels}).
 */
package io.vcex.io;
