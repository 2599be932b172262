/**
 * Measures candidate confidence signals that the engine does not have (bench/eval/confidence-candidates-signals.ts)
 * against the engine's own (src/engine/signals.ts): for each candidate, the confidence model refitted with
 * it added to the engine's signals, by four-fold cross-validation over the fitted fold of every dev set
 * (as `fit-confidence.ts --cv`, the held fifth never read), each set at 75 % coverage: right when confident
 * and, for qa-dev, unanswerable questions marked confident. `--only a,b` measures only those candidates;
 * `a*b` is the product of two signals. Run from the project root:
 *
 *   S=../shared/data; npx tsx bench/eval/confidence-candidates.ts --qa $S/qa-dev.json,$S/qa-dev-newsqa.json,...
 */
import { parseArgs } from 'node:util';
import { answerQuestion, DEFAULT_ANSWER } from '../../src/engine/answer';
import { DEFAULT_EXPANSION } from '../../src/engine/expansion';
import { DEFAULT_RANKING, Ranker } from '../../src/engine/ranking';
import { answerSignals } from '../../src/engine/signals';
import { candidateSignals } from './confidence-candidates-signals';
import { RANK_DEPTH } from './run';
import { prepareSet } from './tuning';

interface Row {
  set: string;
  kind: 'answerable' | 'unanswerable' | 'offtopic';
  right: boolean;
  values: Record<string, number>;
}

const ENGINE_SIGNALS = ['coverage', 'margin', 'novelType', 'missingType', 'length', 'nearMiss', 'absentWord', 'whatQuestion', 'unmatchedNegation'];
const CANDIDATES = [
  'scopeCoverage', 'rarestMissing', 'secondNear', 'margin3', 'gapMeanIdf', 'idfCoverage', 'windowCoverage', 'namesMissingWindow',
  'numberMissing', 'ties', 'covIsMax', 'covGap', 'agreeAll', 'bm25Margin', 'expansionOnly', 'secondTypedFirstNot', 'lead', 'leansBack',
  'typed', 'rare2Missing', 'rarestInBest', 'coverage*margin', 'coverage*rarestMissing',
];
const PARTS = 4;

/** The answered questions of the fitted fold (asked of their own article, and off-topic ones), with every signal. */
function rowsOf(file: string): { rows: Row[]; reachable: number } {
  const set = prepareSet(file);
  const rows: Row[] = [];
  let reachable = 0;
  for (const article of set.articles) {
    const ranker = new Ranker(article.index, DEFAULT_RANKING, DEFAULT_EXPANSION);
    const scope = { from: 0, to: article.index.sentenceCount };
    const add = (question: string, kind: Row['kind'], held: readonly boolean[]): void => {
      const answer = answerQuestion(ranker, question, { top: RANK_DEPTH, scope }, DEFAULT_ANSWER);
      if (!answer.answered) return;
      const query = ranker.analyse(question);
      const result = ranker.search(query, { ...scope, top: RANK_DEPTH });
      const first = answer.hits[0];
      const values = { ...answerSignals(ranker, question, query, result, scope), ...candidateSignals(ranker, question, query, result) };
      rows.push({ set: set.name, kind, right: kind === 'answerable' && first !== undefined && held[first.sentence - 1] === true, values });
    };
    for (const q of article.questions) {
      if (q.fold !== 'fit' || (q.answerable && !q.reachable)) continue;
      if (q.reachable) reachable++;
      add(q.question, q.answerable ? 'answerable' : 'unanswerable', q.held);
    }
    if (article.fold === 'fit') for (const question of article.offTopic) add(question, 'offtopic', []);
  }
  return { rows, reachable };
}

function valueOf(row: Row, name: string): number {
  if (!name.includes('*')) return row.values[name] ?? 0;
  return name.split('*').reduce((product, part) => product * (row.values[part] ?? 0), 1);
}

/** Logistic regression, each set weighted alike, as fit-confidence.ts fits the engine's model. */
function fit(rows: readonly Row[], names: readonly string[]): (row: Row) => number {
  const perSet = new Map<string, number>();
  for (const r of rows) perSet.set(r.set, (perSet.get(r.set) ?? 0) + 1);
  const x = rows.map((r) => names.map((name) => valueOf(r, name)));
  const w = names.map(() => 0);
  let bias = 0;
  for (let it = 0; it < 2500; it++) {
    const grad = names.map(() => 0);
    let gradBias = 0;
    rows.forEach((row, i) => {
      let z = bias;
      for (let k = 0; k < names.length; k++) z += w[k]! * x[i]![k]!;
      const error = (1 / (1 + Math.exp(-z)) - (row.right ? 1 : 0)) / perSet.get(row.set)!;
      for (let k = 0; k < names.length; k++) grad[k]! += error * x[i]![k]!;
      gradBias += error;
    });
    const total = perSet.size;
    for (let k = 0; k < names.length; k++) w[k]! -= 2 * (grad[k]! / total + 1e-3 * w[k]!);
    bias -= (2 * gradBias) / total;
  }
  return (row) => {
    let z = bias;
    names.forEach((name, k) => (z += w[k]! * valueOf(row, name)));
    return 1 / (1 + Math.exp(-z));
  };
}

function crossValidated(sets: readonly { rows: Row[]; reachable: number }[], names: readonly string[]): string {
  const part = new Map<Row, number>();
  for (const set of sets) set.rows.forEach((row, i) => part.set(row, i % PARTS));
  const all = sets.flatMap((s) => s.rows);
  const predicted = new Map<Row, number>();
  for (let p = 0; p < PARTS; p++) {
    const model = fit(all.filter((r) => part.get(r) !== p), names);
    for (const r of all) if (part.get(r) === p) predicted.set(r, model(r));
  }
  const pct = (x: number): string => (Number.isNaN(x) ? '  n/a' : (100 * x).toFixed(1).padStart(5));
  return sets.filter((s) => !s.rows[0]?.set.endsWith('-adv') && !s.rows[0]?.set.endsWith('-orig')).map(({ rows, reachable }) => {
    const scores = rows.filter((r) => r.kind === 'answerable').map((r) => predicted.get(r)!).sort((a, b) => b - a);
    const at = scores[Math.ceil(0.75 * reachable) - 1] ?? 0;
    const confident = rows.filter((r) => predicted.get(r)! >= at);
    const answerable = confident.filter((r) => r.kind === 'answerable');
    const unanswerable = rows.filter((r) => r.kind === 'unanswerable').length;
    const unsure = unanswerable === 0 ? '' : ` / ${pct(confident.filter((r) => r.kind === 'unanswerable').length / unanswerable)}`;
    return `${(rows[0]?.set ?? '').replace('qa-dev-', '')} ${pct(answerable.filter((r) => r.right).length / answerable.length)}${unsure}`;
  }).join('   ');
}

function main(): void {
  const { values } = parseArgs({ options: { qa: { type: 'string', multiple: true }, only: { type: 'string', default: '' } } });
  const files = (values.qa ?? []).flatMap((v) => v.split(',')).filter((v) => v.trim() !== '');
  if (files.length === 0) throw new Error('--qa FILE[,FILE] is required');
  const sets = files.map(rowsOf);
  const candidates = values.only === '' ? CANDIDATES : values.only.split(',');
  console.log(`${PARTS}-fold cross-validation over the fitted fold, each set at 75 % coverage: right when confident (qa-dev also: unanswerable confident)`);
  console.log(`${'the engine\'s signals'.padEnd(26)} ${crossValidated(sets, ENGINE_SIGNALS)}`);
  for (const candidate of candidates) console.log(`${`+ ${candidate}`.padEnd(26)} ${crossValidated(sets, [...ENGINE_SIGNALS, candidate])}`);
}

main();
