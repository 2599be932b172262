/**
 * Measures candidate confidence signals that the engine does not have (bench/eval/confidence-candidates-signals.ts)
 * against the engine's own (src/engine/signals.ts): for each candidate, the confidence model refitted with
 * it added to the engine's signals, by four-fold cross-validation over the fitted fold of every dev set
 * (as `fit-confidence.ts --cv`, the held fifth never read), each set at 75 % coverage: right when confident
 * and, for qa-dev, unanswerable questions marked confident. `--only a,b` measures only those candidates;
 * `a*b` is the product of two signals, `a+b` adds both; `--held` prints the held fifth instead (one model fitted on the
 * whole fitted fold), the second check; `--near-miss-only` computes only bench/eval/nearmiss-candidates.ts's candidates. Run from the project root:
 *
 *   S=../shared/data; npx tsx bench/eval/confidence-candidates.ts --qa $S/qa-dev.json,$S/qa-dev-newsqa.json,...
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ANSWER } from '../../src/engine/answer';
import { DEFAULT_RANKING, RERANK_FEATURES } from '../../src/engine/ranking';
import { candidateSignals } from './confidence-candidates-signals';
import { nearMissCandidates } from './nearmiss-candidates';
import { typedCandidates } from './typed-candidates';
import { atCoverage, crossValidate, ENGINE_SIGNALS, fitLogistic, probability, type CoverageFigures } from './confidence-fit';
import { prepareSet, reachableCount, signalRows, type PreparedSet, type SignalRow } from './tuning';

const CANDIDATES = [
  'scopeCoverage', 'rarestMissing', 'secondNear', 'margin3', 'gapMeanIdf', 'idfCoverage', 'windowCoverage', 'namesMissingWindow',
  'numberMissing', 'ties', 'covIsMax', 'covGap', 'agreeAll', 'bm25Margin', 'expansionOnly', 'secondTypedFirstNot', 'lead', 'leansBack',
  'typed', 'rare2Missing', 'rarestInBest', 'coverage*margin', 'coverage*rarestMissing',
  'meaningBest', 'meaningScope', 'meaningMissBest', 'meaningMissScope', 'meaningBest*coverage',
  'antonym', 'antonymAny', 'antonymBest', 'nameSwap', 'numberSwap', 'slotSwap', 'absentName', 'absentCommon', 'nearMissName', 'orderAgreement', 'bigramShare', 'bigramSplit', 'focusMissing', 'focusMissingElsewhere', 'focusAbsent', 'nameSwapAny', 'wordSwap', 'restatement', 'novelTerms', 'novelNames',
];

/** The engine's signals with a candidate: `a+b` adds both, `-name` leaves an engine signal out (`x-novelType`: x in its place). */
/** bench/eval/typed-candidates.ts's (`--typed-only`); `x-novelType-missingType` puts x in the engine's type signals' place. */
const TYPED_CANDIDATES = [
  'fineNovelType+fineMissingType-novelType-missingType', 'nbrNovelFirstNot', 'nbrTypedFirstNot', 'secondNovelFirstNot', 'restateTyped', 'restateUntyped',
  'restateTyped+restateUntyped', 'bestNewShare', 'nbrNewMore', 'covFull', 'coverage*coverage', 'qWho', 'qWhen', 'qWhere', 'qHowMany', 'qHowOther', 'qWhy', 'qWhatName',
  'qWho+qWhen+qWhere+qHowMany+qHowOther+qWhy', 'typedDate', 'anaphoricOpening', 'pronounOpening', 'anaphoricAsked', 'leadCovers', 'leadShare', 'short2', 'short3', 'coverage*short2', 'marginHigh', 'margin*margin',
  ...RERANK_FEATURES.flatMap((name) => [`f_${name}`, `d_${name}`]),
];

function withCandidate(candidate: string): string[] {
  const parts = candidate.split(/(?=[+-])/).map((part) => part.replace(/^\+/, ''));
  const removed = new Set(parts.filter((part) => part.startsWith('-')).map((part) => part.slice(1)));
  return [...ENGINE_SIGNALS.filter((name) => !removed.has(name)), ...parts.filter((part) => !part.startsWith('-'))];
}

function line(sets: readonly PreparedSet[], results: readonly CoverageFigures[]): string {
  const pct = (x: number): string => (Number.isNaN(x) ? '  n/a' : (100 * x).toFixed(1).padStart(5));
  return sets.map((set, i) => ({ set, f: results[i]! })).filter(({ set }) => !set.name.endsWith('-adv') && !set.name.endsWith('-orig'))
    .map(({ set, f }) => `${set.name.replace('qa-dev-', '')} ${pct(f.precision)}${Number.isNaN(f.unanswerable) ? '' : ` / ${pct(f.unanswerable)}`}`).join('   ');
}

function main(): void {
  const { values } = parseArgs({ options: { qa: { type: 'string', multiple: true }, only: { type: 'string', default: '' }, 'near-miss-only': { type: 'boolean', default: false }, 'typed-only': { type: 'boolean', default: false }, held: { type: 'boolean', default: false } } });
  const files = (values.qa ?? []).flatMap((v) => v.split(',')).filter((v) => v.trim() !== '');
  if (files.length === 0) throw new Error('--qa FILE[,FILE] is required');
  const sets = files.map(prepareSet);
  const settings = { ranking: DEFAULT_RANKING, answer: DEFAULT_ANSWER };
  const rows: SignalRow[][] = sets.map((set) => signalRows(set, settings, values['near-miss-only'] ? nearMissCandidates : values['typed-only'] ? typedCandidates : candidateSignals));
  const fitted = rows.map((r) => r.filter((row) => row.fold === 'fit'));
  const reachable = sets.map((set) => reachableCount(set, 'fit'));
  if (values.held) {
    // The held fifth: one model fitted on the whole fitted fold, each set's held questions at 75 % coverage.
    const heldFigures = (names: readonly string[]): CoverageFigures[] => {
      const model = fitLogistic(fitted.flat(), names);
      return sets.map((set, i) => atCoverage(rows[i]!.filter((r) => r.fold === 'held'), (r) => probability(model, r), reachableCount(set, 'held')));
    };
    const candidates = values.only !== '' ? values.only.split(',') : values['typed-only'] ? TYPED_CANDIDATES : CANDIDATES;
    console.log('held fold, model fitted on the fitted fold, each set at 75 % coverage: right when confident (qa-dev also: unanswerable confident)');
    console.log(`${'the engine\'s signals'.padEnd(26)} ${line(sets, heldFigures(ENGINE_SIGNALS))}`);
    for (const candidate of candidates) console.log(`${`+ ${candidate}`.padEnd(26)} ${line(sets, heldFigures(withCandidate(candidate)))}`);
    return;
  }
  const candidates = values.only !== '' ? values.only.split(',') : values['typed-only'] ? TYPED_CANDIDATES : CANDIDATES;
  console.log('4-fold cross-validation over the fitted fold, each set at 75 % coverage: right when confident (qa-dev also: unanswerable confident)');
  console.log(`${'the engine\'s signals'.padEnd(26)} ${line(sets, crossValidate(fitted, reachable, ENGINE_SIGNALS))}`);
  for (const candidate of candidates) console.log(`${`+ ${candidate}`.padEnd(26)} ${line(sets, crossValidate(fitted, reachable, withCandidate(candidate)))}`);
}

main();
