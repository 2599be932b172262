/**
 * Where the first sentence is wrong, one article at a time: is a sentence holding the answer among the
 * second stage's candidates at all, at which rank, and would a feature (by name, RERANK_FEATURES) put it
 * higher? Run from the project root with the eval's --qa list:
 *
 *   npx tsx bench/eval/semantic-misses.ts --qa FILE[,FILE] [--feature align]
 */
import { parseArgs } from 'node:util';
import { DEFAULT_EXPANSION } from '../../src/engine/expansion';
import { DEFAULT_RANKING, Ranker, RERANK_FEATURES, rerankWeights } from '../../src/engine/ranking';
import { prepareSet } from './tuning';

const { values } = parseArgs({ options: { qa: { type: 'string', multiple: true }, feature: { type: 'string', default: 'align' } } });
const files = (values.qa ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '');
const f = RERANK_FEATURES.indexOf(values.feature as (typeof RERANK_FEATURES)[number]);
if (f < 0) throw new Error(`no feature ${values.feature}`);
const weights = rerankWeights(DEFAULT_RANKING);
for (const file of files) {
  const set = prepareSet(file);
  let n = 0, right = 0, absent = 0, inPool = 0, goldHigher = 0, goldLower = 0, tie = 0, rightHigher = 0, rightLower = 0;
  for (const article of set.articles) {
    const ranker = new Ranker(article.index, DEFAULT_RANKING, DEFAULT_EXPANSION);
    for (const q of article.questions) {
      if (!q.reachable) continue;
      n++;
      const candidates = ranker.explain(ranker.analyse(q.question), { top: 30 })
        .map((c) => ({ ...c, score: c.features.reduce((s, x, i) => s + x * weights[i]!, 0) }))
        .sort((a, b) => b.score - a.score || a.sentence - b.sentence);
      const gold = candidates.findIndex((c) => q.held[c.sentence] === true);
      if (gold === 0) {
        right++;
        const top = candidates[0]!.features[f]!;
        const next = candidates[1]?.features[f] ?? 0;
        if (top > next) rightHigher++; else if (top < next) rightLower++;
        continue;
      }
      if (gold < 0) { absent++; continue; }
      inPool++;
      const g = candidates[gold]!.features[f]!;
      const t = candidates[0]!.features[f]!;
      if (g > t) goldHigher++; else if (g < t) goldLower++; else tie++;
    }
  }
  const pct = (x: number) => `${((100 * x) / n).toFixed(1)} %`;
  console.log(`${set.name}: ${n} answerable; right ${pct(right)}; gold not among the candidates ${pct(absent)}; among them but lower ${pct(inPool)}`
    + ` (${values.feature} of gold > first: ${goldHigher}, <: ${goldLower}, =: ${tie}); when right, first > second: ${rightHigher}, <: ${rightLower}`);
}
