package io.vcex.zoo.card;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a shipped model is, how it was made and how well it does: written beside its weights as
 * {@code card.json}. Loading checks {@link #weightsSha256()}; {@code vcex zoo eval} re-measures
 * {@link #metrics()}.
 *
 * @param name the zoo name
 * @param kind the role: classifier, robust-classifier, oracle, feature-net, text-image-encoder
 * @param description one paragraph: what it is and what it is not
 * @param architecture the network, in words
 * @param parameters number of weights
 * @param recipe the full recipe config (data, hyperparameters, seed)
 * @param trainingSeconds wall time of training on the machine below
 * @param machine where it was trained (cores, OS, Java)
 * @param metrics figures measured by the recipe's evaluation, by name
 * @param weightsFile file name of the weights beside the card
 * @param weightsSha256 SHA-256 of the weights file
 * @param weightsBytes its size
 * @param sizeNote why the weights are as large as they are
 * @param vcexVersion version that trained it
 * @param djlVersion engine version that trained it
 */
public record ModelCard(String name, String kind, String description, String architecture, long parameters,
        JsonNode recipe, double trainingSeconds, String machine, Map<String, Double> metrics, String weightsFile,
        String weightsSha256, long weightsBytes, String sizeNote, String vcexVersion, String djlVersion) {

    /** Sorts the metrics. */
    public ModelCard {
        metrics = java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
    }

    /**
     * @param value re-measured metrics
     * @return a copy with those metrics
     */
    public ModelCard withMetrics(Map<String, Double> value) {
        return new ModelCard(name, kind, description, architecture, parameters, recipe, trainingSeconds, machine, value,
                weightsFile, weightsSha256, weightsBytes, sizeNote, vcexVersion, djlVersion);
    }
}
