/**
 * Users' and external models: model folders ({@code vcex-model.json} beside the model's files)
 * loaded as white-box classifiers after a hash check, and the pretrained models shipped with
 * vcex ({@link io.vcex.io.BuiltInModels}).
 */
package io.vcex.io;
