/**
 * Measures choosing the article, all articles in one index, by fusing the sentence ranking with a
 * whole-article BM25 (over each article's terms, or its first `--lead N` sentences): for each weight w of
 * `--w`, the article whose best candidate sentence scores highest by (its score / the best score) +
 * w · (its article BM25 / the best article BM25), among the sentence ranking's 30 candidates and the top 5
 * articles; prints, per set and fold (fitted / held), how often that article is right and the top-1 when
 * the answer is that article's best candidate, and when it is the article asked alone. Also the article
 * BM25 alone and a reciprocal-rank fusion of the two rankings; and the article chosen among the whole
 * search's three best by the answer each gives alone (its best score, coverage, or modelled confidence).
 * Measured and dropped (README "Quality"):
 *
 *   S=../shared/data; npx tsx bench/eval/article-fusion.ts --qa $S/qa-dev-newsqa.json,$S/qa-dev.json,... [--b 0.3] [--lead 3]
 */
import { parseArgs } from 'node:util';
import { DEFAULT_EXPANSION } from '../../src/engine/expansion';
import { DEFAULT_RANKING, Ranker } from '../../src/engine/ranking';
import { answerQuestion, DEFAULT_ANSWER } from '../../src/engine/answer';
import { confidenceOf } from '../../src/engine/confidence';
import { answerSignals } from '../../src/engine/signals';
import type { SentenceIndex } from '../../src/engine/sentence-index';
import { prepareSet } from './tuning';

function docBm25(index: SentenceIndex, termIds: number[], k1 = 1.2, b = 0.75, lead = 0): Map<number, number> {
  const docs = index.documents.length;
  const len = new Float64Array(docs);
  const endOf = (d: number): number => lead > 0 ? Math.min(index.docStart[d + 1]!, index.docStart[d]! + lead) : index.docStart[d + 1]!;
  for (let d = 0; d < docs; d++) len[d] = index.tokenStart[endOf(d)]! - index.tokenStart[index.docStart[d]!]!;
  const avg = len.reduce((a, x) => a + x, 0) / docs;
  const out = new Map<number, number>();
  for (const id of termIds) {
    if (id < 0) continue;
    const df = index.termDocuments[id]!;
    const idf = Math.log(1 + (docs - df + 0.5) / (df + 0.5));
    const tf = new Map<number, number>();
    const [s, e] = index.postingRange(id, 0, index.sentenceCount);
    for (let p = s; p < e; p++) { const d = index.sentenceDoc[index.postingSentence[p]!]!; if (index.postingSentence[p]! >= endOf(d)) continue; tf.set(d, (tf.get(d) ?? 0) + index.postingFrequency[p]!); }
    for (const [d, f] of tf) out.set(d, (out.get(d) ?? 0) + idf * f * (k1 + 1) / (f + k1 * (1 - b + b * len[d]! / avg)));
  }
  return out;
}

const { values } = parseArgs({ options: { qa: { type: 'string' }, w: { type: 'string', default: '0,0.25,0.5,1,2' }, k1: { type: 'string', default: '1.2' }, b: { type: 'string', default: '0.75' }, lead: { type: 'string', default: '0' } } });
for (const file of values.qa!.split(',')) {
  const set = prepareSet(file);
  const ranker = new Ranker(set.all, DEFAULT_RANKING, DEFAULT_EXPANSION);
  // The sentence ranking's own choice (w 0) is the whole search's first sentence.
  const ws = values.w.split(',').map(Number);
  const art = ws.map(() => ({ fit: 0, held: 0 })); const top1 = ws.map(() => ({ fit: 0, held: 0 })); const top1Scoped = ws.map(() => ({ fit: 0, held: 0 }));
  const n = { fit: 0, held: 0 }; const bm25Art = { fit: 0, held: 0 }; const rrf = { fit: 0, held: 0 };
  set.articles.forEach((article, ai) => {
    for (const q of article.questions) {
      if (!q.reachable) continue;
      n[q.fold]++;
      const query = ranker.analyse(q.question);
      const res = ranker.search(query, { top: 30 });
      const bestOf = new Map<number, { score: number; sentence: number }>();
      for (const s of res.sentences) { const d = set.all.sentenceDoc[s.sentence]!; if (!bestOf.has(d)) bestOf.set(d, s); }
      const bm = docBm25(set.all, query.terms.filter((t) => t.of === undefined).map((t) => t.id), Number(values.k1), Number(values.b), Number(values.lead));
      let bmBest = -1, bmMax = 0; for (const [d, v] of bm) if (v > bmMax) { bmMax = v; bmBest = d; }
      if (bmBest === ai) bm25Art[q.fold]++;
      const s1 = res.sentences[0]?.score ?? 1;
      // RRF
      const sRank = [...bestOf.keys()]; const bRank = [...bm.entries()].sort((a, b) => b[1] - a[1]).map((e) => e[0]);
      const rr = new Map<number, number>();
      sRank.forEach((d, i) => rr.set(d, (rr.get(d) ?? 0) + 1 / (60 + i)));
      bRank.slice(0, 50).forEach((d, i) => rr.set(d, (rr.get(d) ?? 0) + 1 / (60 + i)));
      let rb = -1, rv = -1; for (const [d, v] of rr) if (v > rv) { rv = v; rb = d; }
      if (rb === ai) rrf[q.fold]++;
      ws.forEach((w, wi) => {
        let bd = -1, bv = -Infinity;
        const cands = new Set([...bestOf.keys(), ...bRank.slice(0, 5)]);
        for (const d of cands) { const sv = (bestOf.get(d)?.score ?? 0) / s1 + w * (bm.get(d) ?? 0) / (bmMax || 1); if (sv > bv) { bv = sv; bd = d; } }
        if (bd === ai) art[wi]![q.fold]++;
        const pick = bestOf.get(bd);
        if (pick && bd === ai && q.held[set.all.positionInDocument(pick.sentence)]) top1[wi]![q.fold]++;
        if (bd === ai) {
          const scope = { from: set.all.docStart[bd]!, to: set.all.docStart[bd + 1]! };
          const a = answerQuestion(ranker, q.question, { top: 1, scope }, { ...DEFAULT_ANSWER, articleFirst: false });
          if (a.hits[0] && q.held[a.hits[0].sentence - 1]) top1Scoped[wi]![q.fold]++;
        }
      });
    }
  });
  const p = (x: { fit: number; held: number }) => `${(100 * x.fit / n.fit).toFixed(1)}/${(100 * x.held / n.held).toFixed(1)}`;
  console.log(`${set.name} n ${n.fit}/${n.held}  docBM25 article ${p(bm25Art)}  rrf article ${p(rrf)}`);
  ws.forEach((w, wi) => console.log(`  w ${w}: article ${p(art[wi]!)}  top1 ${p(top1[wi]!)}  top1 scoped ${p(top1Scoped[wi]!)}`));
}

/** Which of the whole search's three best articles answers best alone: right article / top-1, fitted / held. */
function chooseByAlone(file: string): void {
  const set = prepareSet(file);
  const index = set.all;
  const ranker = new Ranker(index, DEFAULT_RANKING, DEFAULT_EXPANSION);
  const ways = ['first', 'score', 'coverage', 'confidence'] as const;
  const right = ways.map(() => ({ fit: 0, held: 0 }));
  const top1 = ways.map(() => ({ fit: 0, held: 0 }));
  const n = { fit: 0, held: 0 };
  set.articles.forEach((article, ai) => {
    for (const q of article.questions) {
      if (!q.reachable) continue;
      n[q.fold]++;
      const query = ranker.analyse(q.question);
      const docs: number[] = [];
      for (const s of ranker.search(query, { top: 30 }).sentences) {
        const d = index.sentenceDoc[s.sentence]!;
        if (!docs.includes(d) && docs.length < 3) docs.push(d);
      }
      const alone = docs.map((d) => {
        const scope = { from: index.docStart[d]!, to: index.docStart[d + 1]! };
        const result = ranker.search(query, { ...scope, top: 2 });
        const first = result.sentences[0];
        return { d, first, score: first?.score ?? 0, coverage: first?.coverage ?? 0, confidence: confidenceOf(answerSignals(ranker, q.question, query, result, scope)) };
      });
      if (alone.length === 0) continue;
      ways.forEach((way, w) => {
        const pick = way === 'first' ? alone[0]! : alone.reduce((a, b) => (b[way] > a[way] ? b : a));
        if (pick.d !== ai) return;
        right[w]![q.fold]++;
        if (pick.first !== undefined && q.held[index.positionInDocument(pick.first.sentence)] === true) top1[w]![q.fold]++;
      });
    }
  });
  const p = (x: { fit: number; held: number }): string => `${(100 * x.fit / n.fit).toFixed(1)}/${(100 * x.held / n.held).toFixed(1)}`;
  console.log(`${set.name}: of the three best articles, the best alone by`);
  ways.forEach((way, w) => console.log(`  ${way.padEnd(10)} article ${p(right[w]!)}  top1 ${p(top1[w]!)}`));
}

/** Why the wrong article is chosen: the questions sent elsewhere, and what the chosen article holds of them. */
function wrongArticles(file: string): void {
  const set = prepareSet(file);
  const index = set.all;
  const ranker = new Ranker(index, DEFAULT_RANKING, DEFAULT_EXPANSION);
  const holds = (doc: number, id: number): boolean => id >= 0 && index.holdsTermIn(id, index.docStart[doc]!, index.docStart[doc + 1]!);
  let n = 0, wrong = 0, short = 0, covered = 0, absent = 0;
  set.articles.forEach((article, ai) => {
    for (const q of article.questions) {
      if (!q.reachable) continue;
      n++;
      const query = ranker.analyse(q.question);
      const found = ranker.search(query, { top: 30 }).sentences;
      const chosen = found[0] === undefined ? -1 : index.sentenceDoc[found[0].sentence]!;
      if (chosen === ai) continue;
      wrong++;
      const own = query.terms.filter((t) => t.of === undefined);
      if (own.length <= 2) short++;
      if (chosen >= 0 && own.every((t) => !holds(ai, t.id) || holds(chosen, t.id))) covered++;
      if (!found.some((s) => index.sentenceDoc[s.sentence] === ai)) absent++;
    }
  });
  console.log(`${set.name}: ${wrong} of ${n} to the wrong article; ${short} of them with at most two distinct terms; for ${covered} the chosen article holds every question word the right one holds; for ${absent} the right article has none of the 30 candidates`);
}

for (const file of values.qa!.split(',')) {
  chooseByAlone(file);
  wrongArticles(file);
}
