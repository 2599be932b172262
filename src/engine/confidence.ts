import type { AnswerSignals } from './signals';

/**
 * Whether the engine is sure of its first sentence: a logistic model over the answer signals, fitted
 * (by `scripts/`-free offline logistic regression, each dev set weighted equally) on four fifths of the
 * articles of every dev set (qa-dev, NewsQA, TrecQA, paraphrased SQuAD and its original and adversarial
 * wordings), its figures checked on the fifth it was not fitted on; see README "Quality".
 * Label: the first sentence holds a gold answer (unanswerable questions: never).
 */
export interface ConfidenceModel {
  weights: Record<keyof AnswerSignals, number>;
  bias: number;
  /** Confident when the modelled probability of a right first sentence is at least this. */
  threshold: number;
}

export const DEFAULT_CONFIDENCE: ConfidenceModel = {
  weights: {
    coverage: 2.81,
    scopeCoverage: -2.03,
    margin: 1.78,
    novelType: 0.04,
    missingType: -0.48,
    rarestMissing: -0.64,
    length: 0.53,
  },
  bias: -0.16,
  threshold: 0.6,
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
