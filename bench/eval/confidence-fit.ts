/**
 * The confidence model's fitting, shared by bench/eval/fit-confidence.ts (the engine's signals) and
 * bench/eval/confidence-candidates.ts (the engine's signals plus a candidate): a logistic regression over
 * named values of the answered questions (`SignalRow`, bench/eval/tuning.ts), each dev set weighted alike
 * with a small L2 penalty, and the four-fold cross-validation over the fitted fold that compares signal sets
 * at equal coverage. One partition and one fit, so both scripts report the same figures for the same signals.
 */
import { DEFAULT_CONFIDENCE } from '../../src/engine/confidence';
import type { AnswerSignals } from '../../src/engine/signals';
import type { SignalRow } from './tuning';

/** The engine's signals, in the confidence model's order. */
export const ENGINE_SIGNALS = Object.keys(DEFAULT_CONFIDENCE.weights) as (keyof AnswerSignals)[];

export interface LogisticModel {
  weights: Record<string, number>;
  bias: number;
}

export interface FitOptions {
  l2: number;
  iterations: number;
  rate: number;
}

export const DEFAULT_FIT: FitOptions = { l2: 1e-3, iterations: 4000, rate: 2 };
/** Cross-validation fits four models per signal set; fewer iterations change its figures by under 0.1 point. */
export const CV_FIT: FitOptions = { ...DEFAULT_FIT, iterations: 2500 };
export const CV_PARTS = 4;

/** A named value of a row; `a*b` is the product of two. */
export function valueOf(row: SignalRow, name: string): number {
  if (!name.includes('*')) return row.values[name] ?? 0;
  return name.split('*').reduce((product, part) => product * (row.values[part] ?? 0), 1);
}

export function probability(model: LogisticModel, row: SignalRow): number {
  let z = model.bias;
  for (const [name, weight] of Object.entries(model.weights)) z += weight * valueOf(row, name);
  return 1 / (1 + Math.exp(-z));
}

/** Gradient descent on the log loss, each row weighted by 1 / (its set's rows) so every set counts alike. */
export function fitLogistic(rows: readonly SignalRow[], names: readonly string[], options: FitOptions = DEFAULT_FIT): LogisticModel {
  const perSet = new Map<string, number>();
  for (const row of rows) perSet.set(row.set, (perSet.get(row.set) ?? 0) + 1);
  const x = rows.map((row) => names.map((name) => valueOf(row, name)));
  const rowWeight = rows.map((row) => 1 / perSet.get(row.set)!);
  const total = perSet.size;
  const w = names.map(() => 0);
  let bias = 0;
  for (let it = 0; it < options.iterations; it++) {
    const grad = names.map(() => 0);
    let gradBias = 0;
    rows.forEach((row, i) => {
      let z = bias;
      for (let k = 0; k < names.length; k++) z += w[k]! * x[i]![k]!;
      const error = (1 / (1 + Math.exp(-z)) - (row.right ? 1 : 0)) * rowWeight[i]!;
      for (let k = 0; k < names.length; k++) grad[k]! += error * x[i]![k]!;
      gradBias += error;
    });
    for (let k = 0; k < names.length; k++) w[k]! -= options.rate * (grad[k]! / total + options.l2 * w[k]!);
    bias -= (options.rate * gradBias) / total;
  }
  return { weights: Object.fromEntries(names.map((name, k) => [name, w[k]!])), bias };
}

export interface CoverageFigures {
  /** Of the answerable questions marked confident, the share whose first sentence is right. */
  precision: number;
  /** Share of the set's SQuAD 2.0 unanswerable questions (`SignalRow.nearMiss`) marked confident (NaN when it has none). */
  unanswerable: number;
}

/**
 * One set's figures when the threshold marks `share` of its reachable questions confident (`reachable`
 * counts the declined ones too: the share is of the questions, not of the answers).
 */
export function atCoverage(rows: readonly SignalRow[], score: (row: SignalRow) => number, reachable: number, share = 0.75): CoverageFigures {
  const scores = rows.filter((r) => r.answerable).map(score).sort((a, b) => b - a);
  const at = scores[Math.ceil(share * reachable) - 1] ?? 0;
  const confident = rows.filter((r) => score(r) >= at);
  const answerable = confident.filter((r) => r.answerable);
  const unanswerable = rows.filter((r) => r.nearMiss).length;
  return {
    precision: answerable.filter((r) => r.right).length / answerable.length,
    unanswerable: unanswerable === 0 ? Number.NaN : confident.filter((r) => r.nearMiss).length / unanswerable,
  };
}

/**
 * The fitted fold cut into CV_PARTS parts (every CV_PARTS-th answered question of a set), each part's
 * probabilities from a model fitted on the others; each set's figures at 75 % coverage. Steadier than the
 * held fifth for telling whether a signal helps (four times the questions), and it never reads the held fifth.
 */
export function crossValidate(fittedBySet: readonly (readonly SignalRow[])[], reachableBySet: readonly number[], names: readonly string[]): CoverageFigures[] {
  const partOf = new Map<SignalRow, number>();
  for (const rows of fittedBySet) rows.forEach((row, i) => partOf.set(row, i % CV_PARTS));
  const all = fittedBySet.flat();
  const predicted = new Map<SignalRow, number>();
  for (let part = 0; part < CV_PARTS; part++) {
    const model = fitLogistic(all.filter((r) => partOf.get(r) !== part), names, CV_FIT);
    for (const r of all) if (partOf.get(r) === part) predicted.set(r, probability(model, r));
  }
  return fittedBySet.map((rows, i) => atCoverage(rows, (r) => predicted.get(r)!, reachableBySet[i]!));
}
