import type { AnswerSignals } from './signals';

/**
 * Whether the engine is sure of its first sentence: a logistic model over the answer signals, fitted by
 * `bench/eval/fit-confidence.ts` (logistic regression, each dev set weighted equally, over the answered
 * questions asked of their own article and the off-topic questions the declines let through) on the
 * fitted fold of every dev set (qa-dev, NewsQA, TrecQA, paraphrased SQuAD and its original and adversarial wordings;
 * a fifth of each set is held apart, see bench/eval/tuning.ts), its figures checked on that fifth; see
 * README "Quality". Label: the first sentence holds a gold answer (unanswerable and off-topic questions:
 * never).
 * Refit it whenever the ranking, the declines or the signals change.
 */
export interface ConfidenceModel {
  weights: Record<keyof AnswerSignals, number>;
  bias: number;
  /** Confident when the modelled probability of a right first sentence is at least this. */
  threshold: number;
}

export const DEFAULT_CONFIDENCE: ConfidenceModel = {
  weights: {
    coverage: 3.41,
    margin: 1.27,
    novelType: 0.32,
    missingType: -0.13,
    length: 0.56,
    nearMiss: -0.35,
    absentWord: 0.71,
    whatQuestion: 0.44,
    unmatchedNegation: -1.09,
  },
  bias: -3.05,
  threshold: 0.49,
};

/** The modelled probability that the first sentence is right. */
export function confidenceOf(signals: AnswerSignals, model: ConfidenceModel = DEFAULT_CONFIDENCE): number {
  let z = model.bias;
  for (const key of Object.keys(model.weights) as (keyof AnswerSignals)[]) z += model.weights[key] * signals[key];
  return 1 / (1 + Math.exp(-z));
}

export function isConfident(signals: AnswerSignals, model: ConfidenceModel = DEFAULT_CONFIDENCE): boolean {
  return confidenceOf(signals, model) >= model.threshold;
}
