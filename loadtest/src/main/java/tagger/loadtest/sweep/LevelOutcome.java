package tagger.loadtest.sweep;

import tagger.loadtest.measure.LevelResult;
import tagger.loadtest.slo.SloResult;

/**
 * A measured level with its judgement.
 *
 * @param costPerMillionImages $ per million images at this level's goodput, null when unknown
 */
public record LevelOutcome(LevelResult result, SloResult slo, Double costPerMillionImages) {
}
