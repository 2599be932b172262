/**
 * Fits the ranking weights (src/engine/ranking.ts DEFAULT_RANKING) by coordinate ascent on the fitted
 * fold of every dev set, and reports every set's figures on both folds (bench/eval/tuning.ts: articles
 * whose id hashes to 0 mod 5 are held apart). Run from the project root:
 *
 *   S=../shared/data; npx tsx bench/eval/fit-ranking.ts --qa $S/qa-dev.json,$S/qa-dev-newsqa.json,...
 *
 * Options: --rounds N (default 2), --params a,b (default: every weight), --measure (only print the
 * figures of the current defaults), --set name=value,... (start from other values).
 * The objective, per set: top-1 + ½ top-3 + all-articles top-1 on the fitted fold, averaged over the sets
 * (a set whose name ends in "-adv", 22 questions built to mislead, is reported but not fitted on). A move
 * is kept only if it raises the objective and lowers no set's score by more than --tolerance (0.005), so a
 * gain on one set is never bought with a loss on another. Paste the printed weights into DEFAULT_RANKING.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ANSWER } from '../../src/engine/answer';
import { DEFAULT_RANKING, type RankingOptions } from '../../src/engine/ranking';
import { addCounts, figuresOf, measureSet, prepareSet, type Figures, type FoldCounts, type PreparedSet, type Settings } from './tuning';

type Weight = keyof RankingOptions;

/** What is fitted, and the steps tried from the current value (multiplied, or added for k1 and b). */
const FITTED: { name: Weight; add?: number[]; max?: number }[] = [
  { name: 'k1', add: [-0.3, -0.15, 0.15, 0.3] },
  { name: 'b', add: [-0.2, -0.1, 0.1, 0.2], max: 1 },
  { name: 'proximityWeight' },
  { name: 'lendWeight', max: 1 },
  { name: 'answerTypeWeight' },
  { name: 'noveltyWeight' },
  { name: 'coverageWeight' },
  { name: 'paragraphWeight' },
  { name: 'leadWeight' },
  { name: 'documentWeight' },
  { name: 'titleWeight' },
  { name: 'repeatWeight' },
  { name: 'firstWeight' },
  { name: 'matchedWeight' },
  { name: 'shortQuestionTerms', add: [-2, -1, 1, 2] },
  { name: 'lengthWeight' },
  { name: 'neighbourWeight' },
  { name: 'rarestWeight' },
];
const FACTORS = [0, 0.5, 0.75, 1.33, 2];

interface Scored {
  objective: number;
  perSet: number[];
  counts: Record<'fit' | 'held', FoldCounts>[];
}

function score(f: Figures, multiArticle: boolean): number {
  return f.top1 + 0.5 * f.top3 + (multiArticle ? f.allTop1 : 0);
}

function evaluate(sets: readonly PreparedSet[], fitted: readonly boolean[], ranking: RankingOptions): Scored {
  const settings: Settings = { ranking, answer: DEFAULT_ANSWER };
  const counts = sets.map((set) => measureSet(set, settings, { skipOffTopic: true }));
  const perSet = counts.map((c, i) => score(figuresOf(c.fit), sets[i]!.articles.length > 1));
  const used = perSet.filter((_, i) => fitted[i]);
  return { objective: used.reduce((a, b) => a + b, 0) / used.length, perSet, counts };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}`;

function report(sets: readonly PreparedSet[], scored: Scored, label: string): void {
  console.log(`\n${label}: objective ${scored.objective.toFixed(4)}`);
  console.log('set                     fold   n     top-1  top-3  MRR    all:top-1  all:wrong-article');
  sets.forEach((set, i) => {
    const c = scored.counts[i]!;
    for (const [fold, counts] of [['fit', c.fit], ['held', c.held], ['both', addCounts(c.fit, c.held)]] as const) {
      const f = figuresOf(counts);
      console.log(`${set.name.padEnd(23)} ${fold.padEnd(5)} ${String(f.n).padStart(5)}  ${pct(f.top1).padStart(5)}  ${pct(f.top3).padStart(5)}  ${f.mrr.toFixed(3)}  ${pct(f.allTop1).padStart(9)}  ${pct(f.allWrongArticle).padStart(9)}`);
    }
  });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      qa: { type: 'string', multiple: true },
      rounds: { type: 'string', default: '2' },
      params: { type: 'string' },
      measure: { type: 'boolean', default: false },
      set: { type: 'string' },
      tolerance: { type: 'string', default: '0.005' },
    },
  });
  const files = (values.qa ?? []).flatMap((v) => v.split(',')).filter((v) => v.trim() !== '');
  if (files.length === 0) throw new Error('--qa FILE[,FILE] is required');
  const sets = files.map(prepareSet);
  const fitted = sets.map((s) => !s.name.endsWith('-adv'));
  let ranking: RankingOptions = { ...DEFAULT_RANKING };
  for (const pair of (values.set ?? '').split(',').filter((p) => p !== '')) {
    const [key, value] = pair.split('=');
    if (!(key! in ranking)) throw new Error(`--set: no ranking option "${key}"`);
    ranking = { ...ranking, [key!]: Number(value) };
  }
  let best = evaluate(sets, fitted, ranking);
  report(sets, best, 'start');
  if (values.measure) return;
  const only = values.params?.split(',');
  const tolerance = Number(values.tolerance);
  for (let round = 1; round <= Number(values.rounds); round++) {
    let moved = false;
    for (const param of FITTED.filter((p) => only === undefined || only.includes(p.name))) {
      const current = ranking[param.name];
      const tries = param.add !== undefined ? param.add.map((d) => current + d) : FACTORS.map((f) => (current === 0 ? f * 0.5 : current * f));
      for (const raw of tries) {
        const value = Math.round(Math.min(param.max ?? Infinity, Math.max(0, raw)) * 1000) / 1000;
        if (value === ranking[param.name]) continue;
        const candidate = { ...ranking, [param.name]: value };
        const scored = evaluate(sets, fitted, candidate);
        const worst = Math.min(...scored.perSet.map((s, i) => (fitted[i] ? s - best.perSet[i]! : 0)));
        if (scored.objective > best.objective + 1e-4 && worst >= -tolerance) {
          console.log(`round ${round}: ${param.name} ${ranking[param.name]} → ${value}: objective ${best.objective.toFixed(4)} → ${scored.objective.toFixed(4)}`);
          ranking = candidate;
          best = scored;
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
  report(sets, best, 'fitted');
  console.log('\nfitted weights:');
  for (const p of FITTED) console.log(`  ${p.name}: ${ranking[p.name]},`);
}

main();
