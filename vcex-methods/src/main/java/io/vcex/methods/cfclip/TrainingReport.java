package io.vcex.methods.cfclip;

import java.util.List;
import java.util.Map;

/**
 * How a mapper's training went.
 *
 * @param steps steps completed in total
 * @param resumedFrom the step the last session resumed from (0 for a fresh run)
 * @param seconds training time, summed over resumed sessions
 * @param skippedSteps steps whose loss or gradients were not finite (no update was made)
 * @param losses exponential averages (0.98) of every loss term at the end, unweighted, and the
 *     weighted total: "total", "clip", "latent", "id", "perceptual"
 * @param history the unweighted terms every few steps, first to last
 */
public record TrainingReport(int steps, int resumedFrom, double seconds, int skippedSteps, Map<String, Double> losses,
        List<Point> history) {

    /** Copies the collections. */
    public TrainingReport {
        losses = Map.copyOf(losses);
        history = List.copyOf(history);
    }

    /**
     * @param step the step (1-based: after that many updates)
     * @param total the weighted loss of eq. 13
     * @param clip the CLIP loss (CLIP-NCE or a baseline)
     * @param latent mean squared latent change
     * @param id 1 - cos of identity embeddings (0 when not used)
     * @param perceptual the perceptual distance (0 when not used)
     */
    public record Point(int step, double total, double clip, double latent, double id, double perceptual) {
    }
}
