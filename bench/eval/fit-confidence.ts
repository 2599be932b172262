/**
 * Fits the confidence model (src/engine/confidence.ts DEFAULT_CONFIDENCE): a logistic regression over the
 * answer signals (src/engine/signals.ts) of every answered question asked of its own article, and of
 * every off-topic question the declines let through (its answer is never right), on the
 * fitted fold of every dev set (bench/eval/tuning.ts; each set weighted alike, a small L2 penalty), label
 * "the first sentence holds a gold answer" (an unanswerable question: never). Then the threshold: the one
 * that meets the most of issue 10's targets on the fitted fold (confident answers ≥ 85 % right and
 * covering ≥ 75 % of the answerable questions on qa-dev and NewsQA, ≤ 50 % of qa-dev's unanswerable
 * questions confident), and among those leaves the most room under the worst. Prints the figures of every set on both folds, and the model to paste into
 * DEFAULT_CONFIDENCE (`--threshold T` prints the figures at another threshold). Run from the project root, after any change to the ranking or the signals:
 *
 *   S=../shared/data; npx tsx bench/eval/fit-confidence.ts --qa $S/qa-dev.json,$S/qa-dev-newsqa.json,...
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ANSWER } from '../../src/engine/answer';
import { confidenceOf, type ConfidenceModel } from '../../src/engine/confidence';
import { DEFAULT_RANKING } from '../../src/engine/ranking';
import type { AnswerSignals } from '../../src/engine/signals';
import { prepareSet, signalRows, type Fold, type PreparedSet, type SignalRow } from './tuning';

const SIGNALS: (keyof AnswerSignals)[] = ['coverage', 'scopeCoverage', 'margin', 'novelType', 'missingType', 'rarestMissing', 'length'];
/** The sets whose targets choose the threshold (by name). */
const TARGET_SETS = ['qa-dev', 'qa-dev-newsqa'];

function fitLogistic(rows: readonly SignalRow[], weightOf: (row: SignalRow) => number, l2 = 1e-3, iterations = 4000, rate = 2): ConfidenceModel {
  const w = SIGNALS.map(() => 0);
  let bias = 0;
  const total = rows.reduce((sum, r) => sum + weightOf(r), 0);
  for (let it = 0; it < iterations; it++) {
    const grad = SIGNALS.map(() => 0);
    let gradBias = 0;
    for (const row of rows) {
      let z = bias;
      SIGNALS.forEach((key, k) => (z += w[k]! * row.signals[key]));
      const error = (1 / (1 + Math.exp(-z)) - (row.right ? 1 : 0)) * weightOf(row);
      SIGNALS.forEach((key, k) => (grad[k]! += error * row.signals[key]));
      gradBias += error;
    }
    SIGNALS.forEach((_, k) => (w[k]! -= rate * (grad[k]! / total + l2 * w[k]!)));
    bias -= (rate * gradBias) / total;
  }
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    weights: Object.fromEntries(SIGNALS.map((key, k) => [key, round(w[k]!)])) as Record<keyof AnswerSignals, number>,
    bias: round(bias),
    threshold: 0.5,
  };
}

interface ConfidenceFigures {
  precision: number;
  coverage: number;
  unanswerable: number;
  /** Share of the off-topic questions asked that were answered and marked confident. */
  offTopic: number;
}

function offTopicCount(set: PreparedSet, fold: Fold): number {
  return set.articles.reduce((sum, a) => sum + (a.fold === fold ? a.offTopic.length : 0), 0);
}

function reachableCount(set: PreparedSet, fold: Fold): number {
  return set.articles.reduce((sum, a) => sum + a.questions.filter((q) => q.reachable && q.fold === fold).length, 0);
}

function figures(rows: readonly SignalRow[], reachable: number, offTopic: number, model: ConfidenceModel): ConfidenceFigures {
  const confident = rows.filter((r) => confidenceOf(r.signals, model) >= model.threshold);
  const answerable = confident.filter((r) => r.answerable);
  const unanswerable = rows.filter((r) => !r.answerable && !r.offTopic);
  const unanswerableTotal = unanswerable.length;
  return {
    precision: answerable.filter((r) => r.right).length / answerable.length,
    coverage: answerable.length / reachable,
    unanswerable: unanswerableTotal === 0 ? Number.NaN : confident.filter((r) => !r.answerable && !r.offTopic).length / unanswerableTotal,
    offTopic: confident.filter((r) => r.offTopic).length / offTopic,
  };
}

function main(): void {
  const { values } = parseArgs({ options: { qa: { type: 'string', multiple: true }, threshold: { type: 'string' } } });
  const files = (values.qa ?? []).flatMap((v) => v.split(',')).filter((v) => v.trim() !== '');
  if (files.length === 0) throw new Error('--qa FILE[,FILE] is required');
  const sets = files.map(prepareSet);
  const settings = { ranking: DEFAULT_RANKING, answer: DEFAULT_ANSWER };
  const rowsBySet = sets.map((set) => signalRows(set, settings));
  const fitRows = rowsBySet.flatMap((rows) => rows.filter((r) => r.fold === 'fit'));
  const perSet = new Map(sets.map((set, i) => [set.name, rowsBySet[i]!.filter((r) => r.fold === 'fit').length]));
  const model = fitLogistic(fitRows, (row) => 1 / perSet.get(row.set)!);

  /** The room under each target on the fitted fold (negative: missed). */
  const slacks = (threshold: number): number[] => {
    const out: number[] = [];
    sets.forEach((set, i) => {
      if (!TARGET_SETS.includes(set.name)) return;
      const f = figures(rowsBySet[i]!.filter((r) => r.fold === 'fit'), reachableCount(set, 'fit'), offTopicCount(set, 'fit'), { ...model, threshold });
      out.push(f.precision - 0.85, f.coverage - 0.75);
      if (!Number.isNaN(f.unanswerable)) out.push(0.5 - f.unanswerable);
    });
    return out;
  };
  // The most targets met; among those, the largest worst room (a target out of reach does not choose).
  const rank = (threshold: number): [number, number] => {
    const s = slacks(threshold);
    return [s.filter((x) => x >= 0).length, Math.min(...s)];
  };
  let best = 0.5;
  for (let t = 0.3; t <= 0.9; t += 0.01) {
    const [met, worst] = rank(t);
    const [bestMet, bestWorst] = rank(best);
    if (met > bestMet || (met === bestMet && worst > bestWorst)) best = Math.round(t * 100) / 100;
  }
  if (values.threshold !== undefined) best = Number(values.threshold);
  model.threshold = best;
  const slack = (threshold: number): number => Math.min(...slacks(threshold));

  const pct = (x: number): string => (Number.isNaN(x) ? '  n/a' : (100 * x).toFixed(1).padStart(5));
  console.log('set                     fold  right-when-confident  coverage  unanswerable-confident  off-topic-confident');
  sets.forEach((set, i) => {
    for (const fold of ['fit', 'held'] as const) {
      const f = figures(rowsBySet[i]!.filter((r) => r.fold === fold), reachableCount(set, fold), offTopicCount(set, fold), model);
      console.log(`${set.name.padEnd(23)} ${fold.padEnd(5)} ${pct(f.precision).padStart(20)}  ${pct(f.coverage).padStart(8)}  ${pct(f.unanswerable).padStart(22)}  ${pct(f.offTopic).padStart(19)}`);
    }
  });
  console.log(`\nthreshold ${best}: ${rank(best)[0]} of ${slacks(best).length} targets met on the fitted fold; worst room ${(100 * slack(best)).toFixed(1)} points`);
  console.log('\nDEFAULT_CONFIDENCE:', JSON.stringify(model, null, 2));
}

main();
