/**
 * A bench for the second and third sentences (issue 10's top-3 targets). The first sentence is the
 * engine's; a lever re-orders only the candidates below it, by the second stage's score plus a weight
 * times a value that may read the first sentence (its neighbour, how alike they are, whether it has the
 * kind of thing asked for), so top-1 cannot move and what it changes is top-3 and MRR. Every reachable
 * question's 30 candidates (`Ranker.explain`), one article at a time and all articles in one index, on
 * every set and both folds (`tuning.ts`). Run from the project root with the eval's --qa list:
 *
 *   [ALIGN_FLOOR=0.6] npx tsx bench/eval/top3-lab.ts --qa FILE[,FILE] [--where] [--sample N] [--levers a,b]
 *     [--weights 0.25,0.5,1] [--on lever:weight,…] [--fit]
 *
 * The base is the second stage's order (`explain`), as before `lower-places.ts`. --where prints, per set,
 * where the right sentence is when it is not among the first three, and what stands at places 2 and 3
 * instead; --sample N prints N such questions per set; --on measures every lever on top of the given ones
 * (`align:0.5` with ALIGN_FLOOR=0.6 is the engine's lower places, though over every place below the first);
 * --fit runs coordinate ascent over every feature's weight and every lever for the places below the first
 * on the fitted fold and prints both folds. ALIGN_FLOOR sets the soft alignment's floor (`alignFloor`).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_EXPANSION } from '../../src/engine/expansion';
import { DEFAULT_RANKING, Ranker, RERANK_FEATURES, rerankWeights, type AnalysedQuery } from '../../src/engine/ranking';
import type { SentenceIndex } from '../../src/engine/sentence-index';
import { questionWord } from './metrics';
import { wordVectors } from '../../src/engine/word-vectors';
import { forEachReachable, prepareSet, type AskMode, type Fold } from './tuning';

interface Candidate {
  sentence: number;
  base: number;
  right: boolean;
  features: Float64Array;
}

interface Group {
  set: string;
  mode: AskMode;
  fold: Fold;
  question: string;
  qword: string;
  query: AnalysedQuery;
  index: SentenceIndex;
  /** By the engine's order, best first. */
  candidates: Candidate[];
}

const F = Object.fromEntries(RERANK_FEATURES.map((name, i) => [name, i])) as Record<(typeof RERANK_FEATURES)[number], number>;
const textOf = (index: SentenceIndex, s: number): string => index.documents[index.sentenceDoc[s]!]!.sentences[index.positionInDocument(s)] ?? '';
const sameDoc = (index: SentenceIndex, a: number, b: number): boolean => index.sentenceDoc[a] === index.sentenceDoc[b];

function termSet(index: SentenceIndex, s: number): Set<number> {
  const out = new Set<number>();
  for (let k = index.tokenStart[s]!; k < index.tokenStart[s + 1]!; k++) out.add(index.tokens[k]!);
  return out;
}

function jaccard(a: Set<number>, b: Set<number>): number {
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  const union = a.size + b.size - both;
  return union === 0 ? 0 : both / union;
}

/** Topicality share of the question's own terms the sentence holds. */
function heldShare(g: Group, s: Set<number>): number {
  let held = 0;
  for (const t of g.query.terms) if (t.of === undefined && t.id >= 0 && s.has(t.id)) held += t.topicality;
  return g.query.topicMass > 0 ? held / g.query.topicMass : 0;
}

const vectors = wordVectors();
const idfOfTerm = (index: SentenceIndex, id: number): number => Math.log(1 + (index.sentenceCount - index.documentFrequency(id) + 0.5) / (index.documentFrequency(id) + 0.5));

/** The IDF-weighted mean of unit word vectors of the given terms (by string), or undefined when none has one. */
function meanVector(items: readonly { term: string; weight: number }[]): Float32Array | undefined {
  const out = new Float32Array(vectors.dims);
  const unit = new Float32Array(vectors.dims);
  let any = false;
  for (const { term, weight } of items) {
    const row = vectors.row(term);
    if (row < 0) continue;
    vectors.unitVector(row, unit);
    for (let d = 0; d < out.length; d++) out[d]! += weight * unit[d]!;
    any = true;
  }
  return any ? out : undefined;
}

function cos(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let d = 0; d < a.length; d++) { ab += a[d]! * b[d]!; aa += a[d]! * a[d]!; bb += b[d]! * b[d]!; }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

const questionVectors = new WeakMap<Group, Float32Array | undefined>();
const sentenceVectors = new Map<string, Float32Array | undefined>();

// ---------------------------------------------------------------------------------------------
// Levers: a value per candidate below the first (in mean IDFs: multiplied by the question's meanIdf).

type Lever = (g: Group, first: Candidate, c: Candidate) => number;

const hasType = (g: Group, c: Candidate): boolean => c.features[F.typed]! > 0;
const isNovelC = (g: Group, c: Candidate): boolean => c.features[F.novel]! > 0;

const LEVERS: Record<string, Lever> = {
  /** The sentence right after the first. */
  next: (g, first, c) => (c.sentence === first.sentence + 1 && sameDoc(g.index, first.sentence, c.sentence) ? 1 : 0),
  /** Either neighbour of the first. */
  neighbour: (g, first, c) => (Math.abs(c.sentence - first.sentence) === 1 && sameDoc(g.index, first.sentence, c.sentence) ? 1 : 0),
  /** A neighbour of a first sentence without a novel thing of the asked type, that has one. */
  neighbourTyped: (g, first, c) => (g.query.answerType !== 0 && !isNovelC(g, first) && isNovelC(g, c) && Math.abs(c.sentence - first.sentence) === 1 && sameDoc(g.index, first.sentence, c.sentence) ? 1 : 0),
  /** MMR: minus the share of terms it shares with the first. */
  mmr: (g, first, c) => -jaccard(termSet(g.index, first.sentence), termSet(g.index, c.sentence)),
  /** The question's topicality it holds that the first does not. */
  complement: (g, first, c) => {
    const f = termSet(g.index, first.sentence);
    const s = termSet(g.index, c.sentence);
    let extra = 0;
    for (const t of g.query.terms) if (t.of === undefined && t.id >= 0 && s.has(t.id) && !f.has(t.id)) extra += t.topicality;
    return g.query.topicMass > 0 ? extra / g.query.topicMass : 0;
  },
  /** Minus the question's topicality it shares with the first (what it only repeats). */
  repeat: (g, first, c) => {
    const f = termSet(g.index, first.sentence);
    const s = termSet(g.index, c.sentence);
    let both = 0;
    for (const t of g.query.terms) if (t.of === undefined && t.id >= 0 && s.has(t.id) && f.has(t.id)) both += t.topicality;
    return g.query.topicMass > 0 ? -both / g.query.topicMass : 0;
  },
  /** Novel of the asked type when the first is not. */
  typedIfFirstNot: (g, first, c) => (g.query.answerType !== 0 && !isNovelC(g, first) && isNovelC(g, c) ? 1 : 0),
  /** Typed (any) when the first is not typed. */
  anyTypedIfFirstNot: (g, first, c) => (g.query.answerType !== 0 && !hasType(g, first) && hasType(g, c) ? 1 : 0),
  /** A neighbour of a first that restates the question (holds >= 80 % of it). */
  neighbourOfRestating: (g, first, c) => (heldShare(g, termSet(g.index, first.sentence)) >= 0.8 && Math.abs(c.sentence - first.sentence) === 1 && sameDoc(g.index, first.sentence, c.sentence) ? 1 : 0),
  /** The article's first sentence (news leads with the facts). */
  lead: (g, _first, c) => (g.index.positionInDocument(c.sentence) === 0 ? 1 : 0),
  /** Plain BM25 of the sentence (a second opinion for the lower places), over the mean IDF. */
  bm25: (g, _first, c) => c.features[F.bm25]! / Math.max(1e-9, g.query.meanIdf),
  /** Second-stage features unweighted in the engine, as second opinions for the lower places. */
  align: (g, _first, c) => c.features[F.align]! / Math.max(1e-9, g.query.meanIdf),
  matched: (g, _first, c) => c.features[F.matched]! / Math.max(1e-9, g.query.meanIdf),
  rarest: (_g, _first, c) => c.features[F.rarest]! > 0 ? 1 : 0,
  neighbourBm25: (g, _first, c) => c.features[F.neighbour]! / Math.max(1e-9, g.query.meanIdf),
  /** Cosine of the IDF-weighted mean word vectors of the question and of the sentence. */
  sentCos: (g, _first, c) => {
    if (!questionVectors.has(g)) questionVectors.set(g, meanVector(g.query.terms.filter((t) => t.of === undefined).map((t) => ({ term: t.term, weight: t.topicality }))));
    const q = questionVectors.get(g);
    if (q === undefined) return 0;
    const key = `${g.set}:${g.mode}:${c.sentence}`;
    if (!sentenceVectors.has(key)) {
      const items = [...termSet(g.index, c.sentence)].map((id) => ({ term: g.index.term(id), weight: idfOfTerm(g.index, id) }));
      sentenceVectors.set(key, meanVector(items));
    }
    const v = sentenceVectors.get(key);
    return v === undefined ? 0 : cos(q, v);
  },
  /** Without the document and paragraph evidence (shared with the first when in the same paragraph). */
  noParagraph: (g, first, c) => (g.index.sentenceParagraph[c.sentence] === g.index.sentenceParagraph[first.sentence] ? -c.features[F.paragraph]! * DEFAULT_RANKING.paragraphWeight / Math.max(1e-9, g.query.meanIdf) : 0),
};

// ---------------------------------------------------------------------------------------------

function collect(files: string[]): Group[] {
  const weights = rerankWeights(DEFAULT_RANKING);
  const options = { ...DEFAULT_RANKING, alignFloor: Number(process.env.ALIGN_FLOOR ?? DEFAULT_RANKING.alignFloor) };
  const groups: Group[] = [];
  for (const file of files) {
    const set = prepareSet(file);
    const add = (mode: AskMode, ranker: Ranker, question: string, fold: Fold, scope: { from?: number; to?: number }, isRight: (s: number) => boolean): void => {
      const query = ranker.analyse(question);
      if (query.terms.length === 0) return;
      const candidates = ranker.explain(query, { ...scope, top: 30 }).map((c) => ({
        sentence: c.sentence,
        base: c.features.reduce((s, x, i) => s + x * weights[i]!, 0),
        right: isRight(c.sentence),
        features: c.features,
      }));
      candidates.sort((a, b) => b.base - a.base || a.sentence - b.sentence);
      groups.push({ set: set.name, mode, fold, question, qword: questionWord(question), query, index: ranker.index, candidates });
    };
    forEachReachable(set, (index) => new Ranker(index, options, DEFAULT_EXPANSION), add);
  }
  return groups;
}

/** Levers applied under every row (`--on name:weight,…`): a lever is measured on top of them. */
let underlying: [Lever, number][] = [];

/** The candidates with the first kept and the rest re-ordered by base + w·meanIdf·lever. */
function reordered(g: Group, lever: Lever | undefined, w: number): Candidate[] {
  const [first, ...rest] = g.candidates;
  if (first === undefined || ((lever === undefined || w === 0) && underlying.length === 0)) return g.candidates;
  const under = (c: Candidate): number => underlying.reduce((sum, [l, uw]) => sum + uw * g.query.meanIdf * l(g, first, c), 0);
  const scored = rest.map((c) => ({ c, s: c.base + under(c) + (lever === undefined ? 0 : w * g.query.meanIdf * lever(g, first, c)) }));
  scored.sort((a, b) => b.s - a.s || a.c.sentence - b.c.sentence);
  return [first, ...scored.map((x) => x.c)];
}

function rankOf(list: readonly Candidate[]): number {
  const k = list.slice(0, 10).findIndex((c) => c.right);
  return k < 0 ? 0 : k + 1;
}

function figures(groups: readonly Group[], lever: Lever | undefined, w: number): { top1: number; top3: number; mrr: number } {
  let top1 = 0, top3 = 0, rr = 0;
  for (const g of groups) {
    const r = rankOf(reordered(g, lever, w));
    if (r === 1) top1++;
    if (r >= 1 && r <= 3) top3++;
    if (r >= 1) rr += 1 / r;
  }
  const n = Math.max(1, groups.length);
  return { top1: (100 * top1) / n, top3: (100 * top3) / n, mrr: rr / n };
}

function where(groups: readonly Group[], sets: readonly string[], sample: number): void {
  for (const set of sets) {
    const mine = groups.filter((g) => g.set === set && g.mode === 'one');
    const tally = new Map<string, number>();
    const add = (k: string): void => { tally.set(k, (tally.get(k) ?? 0) + 1); };
    let printed = 0;
    for (const g of mine) {
      const rank = g.candidates.findIndex((c) => c.right) + 1;
      if (rank >= 1 && rank <= 3) continue;
      add(rank === 0 ? 'not among the 30' : rank <= 5 ? 'rank 4-5' : rank <= 10 ? 'rank 6-10' : 'rank 11-30');
      const [first, second, third] = g.candidates;
      const lower = [second, third].filter((c): c is Candidate => c !== undefined);
      if (first === undefined) continue;
      const fs = termSet(g.index, first.sentence);
      const adj = (c: Candidate): boolean => Math.abs(c.sentence - first.sentence) === 1 && sameDoc(g.index, c.sentence, first.sentence);
      if (lower.some(adj)) add('  #2 or #3 next to #1');
      if (lower.some((c) => jaccard(fs, termSet(g.index, c.sentence)) >= 0.4)) add('  #2 or #3 shares >= 40 % of its terms with #1');
      const gold = g.candidates.find((c) => c.right);
      if (gold !== undefined) {
        if (adj(gold)) add('  the right one (in the 30) next to #1');
        if (g.query.answerType !== 0) {
          add('  typed question');
          if (isNovelC(g, gold)) add('    right one has a novel typed thing');
          if (!isNovelC(g, first)) add('    #1 has none');
          if (lower.every((c) => !isNovelC(g, c)) && !isNovelC(g, first)) add('    none of the 3 has one');
        }
        if (heldShare(g, fs) >= 0.8) add('  #1 holds >= 80 % of the question');
        if (g.index.positionInDocument(gold.sentence) === 0) add('  the right one is the article\'s first');
      }
      if (printed < sample) {
        printed++;
        console.log(`\n[${set}] rank ${rank || '>30'} Q: ${g.question}`);
        g.candidates.slice(0, 3).forEach((c, k) => console.log(`  #${k + 1} s${g.index.positionInDocument(c.sentence) + 1} ${c.base.toFixed(2)}: ${textOf(g.index, c.sentence).slice(0, 170)}`));
        if (gold !== undefined) console.log(`  right s${g.index.positionInDocument(gold.sentence) + 1} ${gold.base.toFixed(2)}: ${textOf(g.index, gold.sentence).slice(0, 170)}`);
      }
    }
    console.log(`\n== ${set}: ${mine.length} reachable, one article at a time; not in the first three:`);
    for (const [k, v] of [...tally].sort()) console.log(`${k.padEnd(52)} ${String(v).padStart(5)}  ${((100 * v) / mine.length).toFixed(1)} %`);
  }
}

/** The value of every lever for every candidate below the first, in `LEVERS` order. */
function leverValues(g: Group): Float64Array[] {
  const [first, ...rest] = g.candidates;
  const names = Object.keys(LEVERS);
  return rest.map((c) => Float64Array.from(names, (n) => g.query.meanIdf * LEVERS[n]!(g, first!, c)));
}

interface Prepared { g: Group; values: Float64Array[] }

/** Rank of the first right candidate when those below the first are ordered by the feature multipliers and lever weights. */
function rankWith(p: Prepared, base: Float64Array, multipliers: Float64Array, leverWeights: Float64Array): number {
  const { g, values } = p;
  if (g.candidates[0]?.right === true) return 1;
  let goldScore = -Infinity;
  let goldSentence = -1;
  const scores = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const c = g.candidates[k + 1]!;
    let s = 0;
    for (let f = 0; f < base.length; f++) s += base[f]! * multipliers[f]! * c.features[f]!;
    const v = values[k]!;
    for (let e = 0; e < v.length; e++) s += leverWeights[e]! * v[e]!;
    scores[k] = s;
    if (c.right && (s > goldScore || (s === goldScore && c.sentence < goldSentence))) { goldScore = s; goldSentence = c.sentence; }
  }
  if (goldSentence < 0) return 0;
  let above = 0;
  for (let k = 0; k < values.length; k++) {
    const c = g.candidates[k + 1]!;
    if (c.right) continue;
    if (scores[k]! > goldScore || (scores[k] === goldScore && c.sentence < goldSentence)) above++;
  }
  const rank = above + 2;
  return rank <= 10 ? rank : 0;
}

function fit(groups: readonly Group[], sets: readonly string[]): void {
  const base = rerankWeights(DEFAULT_RANKING);
  const names = Object.keys(LEVERS);
  const prepared = groups.filter((g) => g.mode === 'one').map((g) => ({ g, values: leverValues(g) }));
  const fitted = prepared.filter((p) => p.g.fold === 'fit');
  const multipliers = new Float64Array(base.length).fill(1);
  const leverWeights = new Float64Array(names.length);
  const objective = (subset: readonly Prepared[]): number => {
    let sum = 0;
    for (const p of subset) { const r = rankWith(p, base, multipliers, leverWeights); if (r >= 1 && r <= 3) sum += 1; if (r >= 1) sum += 1 / r; }
    return sum;
  };
  const report = (label: string): void => {
    const cells = sets.map((set) => {
      const cell = (fold: Fold): string => {
        const mine = prepared.filter((p) => p.g.set === set && p.g.fold === fold);
        let top3 = 0, rr = 0;
        for (const p of mine) { const r = rankWith(p, base, multipliers, leverWeights); if (r >= 1 && r <= 3) top3++; if (r >= 1) rr += 1 / r; }
        return `${((100 * top3) / mine.length).toFixed(1)} (${(rr / mine.length).toFixed(3)})`;
      };
      return `${cell('fit')} | ${cell('held')}`.padEnd(30);
    });
    console.log([label.padEnd(26), ...cells].join(' '));
  };
  report('base');
  const grid = [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3];
  const leverGrid = [-1, -0.5, -0.25, 0, 0.25, 0.5, 1];
  let best = objective(fitted);
  for (let pass = 0; pass < 3; pass++) {
    for (let f = 0; f < base.length; f++) {
      if (base[f] === 0) continue;
      for (const m of grid) {
        const old = multipliers[f]!;
        multipliers[f] = m;
        const o = objective(fitted);
        if (o > best + 1e-9) best = o; else multipliers[f] = old;
      }
    }
    for (let e = 0; e < names.length; e++) {
      for (const w of leverGrid) {
        const old = leverWeights[e]!;
        leverWeights[e] = w;
        const o = objective(fitted);
        if (o > best + 1e-9) best = o; else leverWeights[e] = old;
      }
    }
    report(`pass ${pass + 1}`);
  }
  console.log('multipliers', RERANK_FEATURES.map((n, f) => (multipliers[f] !== 1 && base[f] !== 0 ? `${n} ${multipliers[f]}` : '')).filter(Boolean).join(', '));
  console.log('levers', names.map((n, e) => (leverWeights[e] !== 0 ? `${n} ${leverWeights[e]}` : '')).filter(Boolean).join(', '));
}

function main(): void {
  const { values } = parseArgs({ options: { qa: { type: 'string', multiple: true }, where: { type: 'boolean', default: false }, sample: { type: 'string', default: '0' }, weights: { type: 'string', default: '0.125,0.25,0.5,1,2' }, levers: { type: 'string' }, fit: { type: 'boolean', default: false }, on: { type: 'string' } } });
  underlying = (values.on ?? '').split(',').filter(Boolean).map((spec) => { const [name, w] = spec.split(':'); const l = LEVERS[name!]; if (l === undefined) throw new Error(`no lever ${name}`); return [l, Number(w)] as [Lever, number]; });
  const files = (values.qa ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '');
  const groups = collect(files);
  const sets = [...new Set(groups.map((g) => g.set))];
  if (values.where || Number(values.sample) > 0) where(groups, sets, Number(values.sample));
  if (values.fit) { fit(groups, sets); return; }
  const weights = values.weights.split(',').map(Number);
  const levers = values.levers?.split(',') ?? Object.keys(LEVERS);
  for (const mode of ['one', 'all'] as const) {
    console.log(`\n== ${mode === 'one' ? 'one article at a time' : 'all articles in one index'}: top-3 (MRR), fitted | held fold; lever rows are differences`);
    console.log(['lever'.padEnd(20), 'w'.padEnd(6), ...sets.map((s) => s.replace('qa-dev-', '').padEnd(30))].join(' '));
    const slice = (set: string, fold: Fold) => groups.filter((g) => g.set === set && g.mode === mode && g.fold === fold);
    const base = sets.map((set) => [figures(slice(set, 'fit'), undefined, 0), figures(slice(set, 'held'), undefined, 0)] as const);
    console.log(['base'.padEnd(20), ''.padEnd(6), ...base.map(([f, h]) => `${f.top3.toFixed(1)} (${f.mrr.toFixed(3)}) | ${h.top3.toFixed(1)} (${h.mrr.toFixed(3)})`.padEnd(30))].join(' '));
    for (const name of levers) for (const w of weights) {
      const lever = LEVERS[name];
      if (lever === undefined) throw new Error(`no lever ${name}`);
      const d = (x: number, digits = 1) => (x >= 0 ? '+' : '') + x.toFixed(digits);
      const cells = sets.map((set, i) => {
        const f = figures(slice(set, 'fit'), lever, w);
        const h = figures(slice(set, 'held'), lever, w);
        const [bf, bh] = base[i]!;
        return `${d(f.top3 - bf.top3)} (${d(f.mrr - bf.mrr, 3)}) | ${d(h.top3 - bh.top3)} (${d(h.mrr - bh.mrr, 3)})`.padEnd(30);
      });
      console.log([name.padEnd(20), String(w).padEnd(6), ...cells].join(' '));
    }
  }
}

main();
