/**
 * Fits the second stage's weights (src/engine/ranking.ts: every weight of `RERANK_FEATURES`, BM25's fixed
 * at 1) as a listwise logistic model: for each question of the fitted fold, the softmax over its
 * candidates' scores should put its mass on the sentences that hold the answer (each set weighs the same,
 * each question the same within its set; one article at a time and all articles in one index). Then it
 * measures every set on both folds (bench/eval/tuning.ts) with the fitted weights beside the current ones.
 * Run from the project root:
 *
 *   S=../shared/data; npx tsx bench/eval/fit-rerank.ts --qa $S/qa-dev.json,$S/qa-dev-newsqa.json,...
 *
 * Options: --features a,b (fit only these, the others keep their current weights), --l2 X (default 0.01,
 * on standardised features), --set name=value,... (start from other ranking options: the candidates are
 * those of the first stage under them). Paste the printed weights into DEFAULT_RANKING.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ANSWER } from '../../src/engine/answer';
import { DEFAULT_EXPANSION } from '../../src/engine/expansion';
import { DEFAULT_RANKING, Ranker, RERANK_FEATURES, rerankWeights, type RankingOptions, type RerankFeature } from '../../src/engine/ranking';
import { addCounts, figuresOf, measureSet, prepareSet, type PreparedSet } from './tuning';

/** The ranking option behind each feature's weight (BM25's is fixed at 1). */
const OPTION_OF: Record<Exclude<RerankFeature, 'bm25'>, keyof RankingOptions> = {
  lent: 'lendWeight',
  document: 'documentWeight',
  paragraph: 'paragraphWeight',
  proximity: 'proximityWeight',
  typed: 'answerTypeWeight',
  novel: 'noveltyWeight',
  lead: 'leadWeight',
  coverage: 'coverageWeight',
  first: 'firstWeight',
  matched: 'matchedWeight',
  length: 'lengthWeight',
  neighbour: 'neighbourWeight',
  rarest: 'rarestWeight',
  align: 'alignWeight',
};

/** One question's candidates: features (row-major) and which hold the answer. */
interface Group {
  set: number;
  x: Float64Array[];
  right: boolean[];
  /** The group's weight in the loss: 1 / (questions of its set in its mode). */
  weight: number;
}

function groupsOf(sets: readonly PreparedSet[], ranking: RankingOptions): Group[] {
  const groups: Group[] = [];
  sets.forEach((set, s) => {
    const mine: Group[] = [];
    for (const article of set.articles) {
      const ranker = new Ranker(article.index, ranking, DEFAULT_EXPANSION);
      for (const q of article.questions) {
        if (!q.reachable || q.fold !== 'fit') continue;
        const candidates = ranker.explain(ranker.analyse(q.question), { from: 0, to: article.index.sentenceCount, top: 10 });
        mine.push({ set: s, x: candidates.map((c) => c.features), right: candidates.map((c) => q.held[c.sentence] === true), weight: 1 });
      }
    }
    const all: Group[] = [];
    if (set.articles.length > 1) {
      const ranker = new Ranker(set.all, ranking, DEFAULT_EXPANSION);
      set.articles.forEach((article, a) => {
        const start = set.all.docStart[a]!;
        for (const q of article.questions) {
          if (!q.reachable || q.fold !== 'fit') continue;
          const candidates = ranker.explain(ranker.analyse(q.question), { top: 10 });
          const right = candidates.map((c) => set.all.sentenceDoc[c.sentence] === a && q.held[c.sentence - start] === true);
          all.push({ set: s, x: candidates.map((c) => c.features), right, weight: 1 });
        }
      });
    }
    for (const list of [mine, all]) {
      const useful = list.filter((g) => g.right.some(Boolean) && g.right.some((r) => !r));
      for (const g of useful) g.weight = 1 / list.length;
      groups.push(...useful);
    }
  });
  return groups;
}

/**
 * Gradient descent on the mean listwise loss −log(Σ_right e^score / Σ_all e^score) + l2·Σ(w·scale)², with
 * score = t·Σ w·x: the weights marked `free` move (preconditioned as if the features were standardised),
 * the others stay at `start`, and the temperature t is fitted with them (BM25's weight stays 1).
 */
function fit(groups: readonly Group[], start: Float64Array, free: readonly boolean[], l2: number, iterations: number): Float64Array {
  const n = start.length;
  const scale = new Float64Array(n);
  let rows = 0;
  for (const g of groups) for (const x of g.x) { rows++; for (let f = 0; f < n; f++) scale[f]! += x[f]! * x[f]!; }
  for (let f = 0; f < n; f++) scale[f] = Math.sqrt(scale[f]! / rows) || 1;
  const w = Float64Array.from(start);
  // The softmax's temperature for the starting weights first (scores run to tens: e^score is too sharp).
  let t = 1;
  let bestLoss = Infinity;
  for (let logT = -6; logT <= 1; logT += 0.05) {
    const loss = listLoss(groups, w, Math.exp(logT));
    if (loss < bestLoss) [bestLoss, t] = [loss, Math.exp(logT)];
  }
  const total = groups.reduce((sum, g) => sum + g.weight, 0);
  const grad = new Float64Array(n);
  let rate = 0.5;
  let previous = Infinity;
  for (let it = 0; it < iterations; it++) {
    grad.fill(0);
    let gradT = 0;
    let rawSquares = 0;
    let loss = 0;
    for (const g of groups) {
      const raw = g.x.map((x) => { let s = 0; for (let f = 0; f < n; f++) s += w[f]! * x[f]!; return s; });
      const top = Math.max(...raw) * t;
      const e = raw.map((s) => Math.exp(t * s - top));
      const all = e.reduce((a, b) => a + b, 0);
      const right = e.reduce((a, b, k) => a + (g.right[k] ? b : 0), 0);
      loss += (g.weight * -Math.log(right / all)) / total;
      for (let k = 0; k < g.x.length; k++) {
        // d loss / d score_k = p_k − q_k (q: the softmax restricted to the right sentences).
        const d = (g.weight * (e[k]! / all - (g.right[k] ? e[k]! / right : 0))) / total;
        const x = g.x[k]!;
        for (let f = 0; f < n; f++) grad[f]! += d * t * x[f]!;
        gradT += d * raw[k]!;
        rawSquares += raw[k]! * raw[k]!;
      }
    }
    for (let f = 0; f < n; f++) if (free[f]) loss += l2 * (w[f]! * scale[f]!) ** 2;
    if (loss > previous) rate /= 2;
    previous = loss;
    for (let f = 0; f < n; f++) if (free[f]) w[f]! -= (rate * (grad[f]! + 2 * l2 * w[f]! * scale[f]! ** 2)) / scale[f]! ** 2;
    t -= (rate * gradT) / (rawSquares / rows);
    if (it % 100 === 0 || it === iterations - 1) console.log(`  iteration ${it}: loss ${loss.toFixed(4)}, temperature ${t.toFixed(3)}`);
  }
  return Float64Array.from(w, (v) => Math.round(v * 1000) / 1000);
}

function listLoss(groups: readonly Group[], w: Float64Array, t: number): number {
  const total = groups.reduce((sum, g) => sum + g.weight, 0);
  let loss = 0;
  for (const g of groups) {
    const raw = g.x.map((x) => x.reduce((s, v, f) => s + v * w[f]!, 0) * t);
    const top = Math.max(...raw);
    let all = 0;
    let right = 0;
    raw.forEach((s, k) => { const e = Math.exp(s - top); all += e; if (g.right[k]) right += e; });
    loss += (g.weight * -Math.log(right / all)) / total;
  }
  return loss;
}

function withWeights(ranking: RankingOptions, weights: Float64Array): RankingOptions {
  const out = { ...ranking } as Record<string, number>;
  RERANK_FEATURES.forEach((name, f) => {
    if (name !== 'bm25') out[OPTION_OF[name]] = weights[f]!;
  });
  return out as unknown as RankingOptions;
}

const pct = (x: number): string => (100 * x).toFixed(1).padStart(5);

function report(sets: readonly PreparedSet[], ranking: RankingOptions, label: string): void {
  console.log(`\n${label}`);
  console.log('set                     fold   n     top-1  top-3  MRR    all:top-1  all:wrong-article');
  for (const set of sets) {
    const c = measureSet(set, { ranking, answer: DEFAULT_ANSWER }, { skipOffTopic: true });
    for (const [fold, counts] of [['fit', c.fit], ['held', c.held], ['both', addCounts(c.fit, c.held)]] as const) {
      const f = figuresOf(counts);
      console.log(`${set.name.padEnd(23)} ${fold.padEnd(5)} ${String(f.n).padStart(5)}  ${pct(f.top1)}  ${pct(f.top3)}  ${f.mrr.toFixed(3)}  ${pct(f.allTop1).padStart(9)}  ${pct(f.allWrongArticle).padStart(9)}`);
    }
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      qa: { type: 'string', multiple: true },
      features: { type: 'string' },
      l2: { type: 'string', default: '0.01' },
      set: { type: 'string' },
      iterations: { type: 'string', default: '400' },
    },
  });
  const files = (values.qa ?? []).flatMap((v) => v.split(',')).filter((v) => v.trim() !== '');
  if (files.length === 0) throw new Error('--qa FILE[,FILE] is required');
  let ranking: RankingOptions = { ...DEFAULT_RANKING };
  for (const pair of (values.set ?? '').split(',').filter((p) => p !== '')) {
    const [key, value] = pair.split('=');
    if (!(key! in ranking)) throw new Error(`--set: no ranking option "${key}"`);
    ranking = { ...ranking, [key!]: Number(value) };
  }
  const sets = files.map(prepareSet);
  // The sets built to mislead (names ending in "-adv", 22 questions) are reported, not fitted on.
  const groups = groupsOf(sets.filter((s) => !s.name.endsWith('-adv')), ranking);
  const only = values.features?.split(',');
  const free = RERANK_FEATURES.map((name) => name !== 'bm25' && (only === undefined || only.includes(name)));
  console.log(`${groups.length} questions with right and wrong candidates (fitted fold)`);
  const weights = fit(groups, rerankWeights(ranking), free, Number(values.l2), Number(values.iterations));
  const fitted = withWeights(ranking, weights);
  report(sets, ranking, 'current weights');
  report(sets, fitted, 'fitted weights');
  console.log('\nfitted weights:');
  for (const name of RERANK_FEATURES) if (name !== 'bm25') console.log(`  ${OPTION_OF[name]}: ${fitted[OPTION_OF[name]]},`);
}

main();
