/**
 * Fits the confidence model (src/engine/confidence.ts DEFAULT_CONFIDENCE): a logistic regression over the
 * answer signals (src/engine/signals.ts) of every answered question asked of its own article, and of
 * every off-topic question the declines let through (its answer is never right), on the
 * fitted fold of every dev set (bench/eval/tuning.ts; each set weighted alike, a small L2 penalty), label
 * "the first sentence holds a gold answer" (an unanswerable question: never). Then the threshold: the one
 * that meets the most of issue 10's targets on the fitted fold (confident answers ≥ 85 % right and
 * covering ≥ 75 % of the answerable questions on qa-dev and NewsQA, ≤ 50 % of qa-dev's SQuAD 2.0 unanswerable
 * questions confident) by at least half a point, and among those leaves the most room under the worst. Prints the figures of every set on both folds, and the model to paste into
 * DEFAULT_CONFIDENCE (`--threshold T` prints the figures at another threshold; `--without a,b` fits without those
 * signals, to measure what each adds), and each set's figures at 75 % coverage, to compare models at equal coverage. Run from the project root, after any change to the ranking or the signals:
 *
 *   S=../shared/data; npx tsx bench/eval/fit-confidence.ts --qa $S/qa-dev.json,$S/qa-dev-newsqa.json,...
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ANSWER } from '../../src/engine/answer';
import { confidenceOf, type ConfidenceModel } from '../../src/engine/confidence';
import { DEFAULT_RANKING } from '../../src/engine/ranking';
import type { AnswerSignals } from '../../src/engine/signals';
import { atCoverage, crossValidate, ENGINE_SIGNALS, fitLogistic } from './confidence-fit';
import { prepareSet, reachableCount, signalRows, type Fold, type PreparedSet, type SignalRow } from './tuning';

/** The sets whose targets choose the threshold (by name). */
const TARGET_SETS = ['qa-dev', 'qa-dev-newsqa'];

/** The engine's model from a fit over its signals (a signal left out keeps weight 0), rounded as pasted. */
function engineModel(rows: readonly SignalRow[], without: ReadonlySet<string>): ConfidenceModel {
  const fitted = fitLogistic(rows, ENGINE_SIGNALS.filter((key) => !without.has(key)));
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    weights: Object.fromEntries(ENGINE_SIGNALS.map((key) => [key, round(fitted.weights[key] ?? 0)])) as Record<keyof AnswerSignals, number>,
    bias: round(fitted.bias),
    threshold: 0.5,
  };
}

const signalsOf = (row: SignalRow): AnswerSignals => row.values as unknown as AnswerSignals;

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

function figures(rows: readonly SignalRow[], reachable: number, offTopic: number, model: ConfidenceModel): ConfidenceFigures {
  const confident = rows.filter((r) => confidenceOf(signalsOf(r), model) >= model.threshold);
  const answerable = confident.filter((r) => r.answerable);
  const unanswerableTotal = rows.filter((r) => r.nearMiss).length;
  return {
    precision: answerable.filter((r) => r.right).length / answerable.length,
    coverage: answerable.length / reachable,
    unanswerable: unanswerableTotal === 0 ? Number.NaN : confident.filter((r) => r.nearMiss).length / unanswerableTotal,
    offTopic: confident.filter((r) => r.offTopic).length / offTopic,
  };
}

/** A target counts as met on the fitted fold with at least this much room (half a point: the noise between folds). */
const MET_ROOM = 0.005;
const pct = (x: number): string => (Number.isNaN(x) ? '  n/a' : (100 * x).toFixed(1).padStart(5));

/** `--cv`: bench/eval/confidence-fit.ts's cross-validation of the engine's signals (less those left out). */
function printCrossValidation(sets: readonly PreparedSet[], rowsBySet: readonly SignalRow[][], without: ReadonlySet<string>): void {
  const names = ENGINE_SIGNALS.filter((key) => !without.has(key));
  const results = crossValidate(rowsBySet.map((rows) => rows.filter((r) => r.fold === 'fit')), sets.map((set) => reachableCount(set, 'fit')), names);
  console.log(`4-fold cross-validation over the fitted fold${without.size > 0 ? `, without ${[...without].join(', ')}` : ''}: at 75 % coverage, right-when-confident / unanswerable-confident`);
  sets.forEach((set, i) => console.log(`${set.name.padEnd(23)} ${pct(results[i]!.precision)} / ${pct(results[i]!.unanswerable)}`));
}

function main(): void {
  const { values } = parseArgs({ options: { qa: { type: 'string', multiple: true }, threshold: { type: 'string' }, without: { type: 'string', default: '' }, cv: { type: 'boolean', default: false } } });
  const without = new Set(values.without.split(',').filter((v) => v !== ''));
  for (const name of without) if (!(ENGINE_SIGNALS as string[]).includes(name)) throw new Error(`--without: no signal ${name} (${ENGINE_SIGNALS.join(', ')})`);
  const files = (values.qa ?? []).flatMap((v) => v.split(',')).filter((v) => v.trim() !== '');
  if (files.length === 0) throw new Error('--qa FILE[,FILE] is required');
  const sets = files.map(prepareSet);
  const settings = { ranking: DEFAULT_RANKING, answer: DEFAULT_ANSWER };
  const rowsBySet = sets.map((set) => signalRows(set, settings));
  if (values.cv) {
    printCrossValidation(sets, rowsBySet, without);
    return;
  }
  const model = engineModel(rowsBySet.flatMap((rows) => rows.filter((r) => r.fold === 'fit')), without);

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
  // The most targets met with room for noise (MET_ROOM); among those, the largest worst room (a target out
  // of reach does not choose). Counting a target met at any room put the threshold at the very edge of a
  // met target, which then failed on the whole set (qa-dev coverage just over 75 % fitted, under it in the eval; README, Quality).
  const rank = (threshold: number): [number, number] => {
    const s = slacks(threshold);
    return [s.filter((x) => x >= MET_ROOM).length, Math.min(...s)];
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

  console.log('set                     fold  right-when-confident  coverage  unanswerable-confident  off-topic-confident');
  sets.forEach((set, i) => {
    for (const fold of ['fit', 'held'] as const) {
      const f = figures(rowsBySet[i]!.filter((r) => r.fold === fold), reachableCount(set, fold), offTopicCount(set, fold), model);
      console.log(`${set.name.padEnd(23)} ${fold.padEnd(5)} ${pct(f.precision).padStart(20)}  ${pct(f.coverage).padStart(8)}  ${pct(f.unanswerable).padStart(22)}  ${pct(f.offTopic).padStart(19)}`);
    }
  });
  // Models compared at the same coverage (no threshold chosen): each set and fold at the threshold that
  // marks 75 % of its answerable questions confident.
  console.log('\nat 75 % coverage of each set and fold: right-when-confident / unanswerable-confident');
  sets.forEach((set, i) => {
    const cells = (['fit', 'held'] as const).map((fold) => {
      const f = atCoverage(rowsBySet[i]!.filter((r) => r.fold === fold), (r) => confidenceOf(signalsOf(r), model), reachableCount(set, fold));
      return `${fold} ${pct(f.precision)} / ${pct(f.unanswerable)}`;
    });
    console.log(`${set.name.padEnd(23)} ${cells.join('   ')}`);
  });
  // The engine's current model at the same coverage, to tell a refit that orders the answers better from
  // one that only moves the threshold.
  console.log('\nthe same for DEFAULT_CONFIDENCE (the engine\'s current model)');
  sets.forEach((set, i) => {
    const cells = (['fit', 'held'] as const).map((fold) => {
      const f = atCoverage(rowsBySet[i]!.filter((r) => r.fold === fold), (r) => confidenceOf(signalsOf(r)), reachableCount(set, fold));
      return `${fold} ${pct(f.precision)} / ${pct(f.unanswerable)}`;
    });
    console.log(`${set.name.padEnd(23)} ${cells.join('   ')}`);
  });
  console.log(`\nthreshold ${best}: ${rank(best)[0]} of ${slacks(best).length} targets met on the fitted fold; worst room ${(100 * slack(best)).toFixed(1)} points`);
  console.log('\nDEFAULT_CONFIDENCE:', JSON.stringify(model, null, 2));
}

main();
