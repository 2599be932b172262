/**
 * Baselines: natural's TfIdf used the obvious way (one document per sentence, `tfidfs`, top-k) for QA,
 * and Lead-N for summaries. Both work on the sentences of our own parser, so only ranking differs.
 */
import { TfIdf, naturalQueryTerms, plainTerms, type NaturalTfIdf } from './natural';

export interface SentenceKey {
  /** Index of the article in the list given to the index. */
  doc: number;
  /** 1-based sentence number. */
  sentence: number;
}

export interface ScoredSentence extends SentenceKey {
  score: number;
}

/** natural's TfIdf over the sentences of one or more articles, one TfIdf document per sentence. */
export class TfIdfSentenceIndex {
  private readonly tfidf: NaturalTfIdf = new TfIdf();
  private readonly keys: SentenceKey[] = [];
  /** term → the TfIdf documents holding it; built from natural's own term maps. */
  private postings: Map<string, number[]> | undefined;

  constructor(docs: readonly (readonly string[])[]) {
    docs.forEach((sentences, doc) => {
      sentences.forEach((text, i) => {
        this.tfidf.addDocument(text);
        this.keys.push({ doc, sentence: i + 1 });
      });
    });
  }

  /**
   * All of natural's scores for a question: exactly `tfidfs(question)`, whose string form lowercases
   * and tokenises with natural's WordTokenizer, once per document.
   */
  scores(question: string): number[] {
    return this.tfidf.tfidfs(question);
  }

  /**
   * The `top` best sentences for a question, best first, by `tfidfs(question)` score (ties: article
   * order, then sentence order). Never declines.
   *
   * Same result as sorting all of `tfidfs(question)`, computed faster: natural's `tfidf(terms, d)` is
   * called only for the sentences holding a question term; every other sentence scores exactly 0
   * (all its tf are 0) and is merged in at 0, in document order.
   */
  search(question: string, top: number): ScoredSentence[] {
    const terms = naturalQueryTerms(question);
    const postings = this.buildPostings();
    const candidates = new Set<number>();
    for (const term of terms) for (const d of postings.get(term) ?? []) candidates.add(d);
    const scored = [...candidates].map((d) => ({ d, score: this.tfidf.tfidf(terms, d) }));
    scored.sort((a, b) => b.score - a.score || a.d - b.d);
    const out: ScoredSentence[] = [];
    let zero = 0; // next document index not among the candidates (score 0)
    let c = 0;
    const total = this.keys.length;
    while (out.length < top) {
      while (zero < total && candidates.has(zero)) zero++;
      const cand = scored[c];
      const takeZero = zero < total && (cand === undefined || cand.score < 0 || (cand.score === 0 && zero < cand.d));
      let d: number;
      let score = 0;
      if (takeZero) d = zero++;
      else if (cand !== undefined) {
        d = cand.d;
        score = cand.score;
        c++;
      } else break;
      out.push({ ...(this.keys[d] as SentenceKey), score });
    }
    return out;
  }

  private buildPostings(): Map<string, number[]> {
    if (this.postings) return this.postings;
    const postings = new Map<string, number[]>();
    this.tfidf.documents.forEach((doc, d) => {
      for (const term of Object.keys(doc)) {
        if (term === '__key' || !((doc[term] ?? 0) > 0)) continue;
        const list = postings.get(term);
        if (list) list.push(d);
        else postings.set(term, [d]);
      }
    });
    this.postings = postings;
    return postings;
  }
}

/**
 * Plain BM25 as a search engine ships it (Lucene's defaults: k1 1.2, b 0.75, IDF log(1 + (N − n + 0.5) /
 * (n + 0.5))), one document per sentence, over natural's tokens with stop words removed and Porter
 * stems: what the project's ranking adds on top of textbook BM25. Never declines.
 */
export class Bm25SentenceIndex {
  private readonly keys: SentenceKey[] = [];
  private readonly lengths: number[] = [];
  private readonly postings = new Map<string, { d: number; tf: number }[]>();
  /** k1 · (1 − b + b · length / average length), per sentence. */
  private readonly norms: Float64Array;
  private scratch = new Float64Array(0);

  constructor(
    docs: readonly (readonly string[])[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    docs.forEach((sentences, doc) => {
      sentences.forEach((text, i) => {
        const d = this.keys.length;
        this.keys.push({ doc, sentence: i + 1 });
        const counts = new Map<string, number>();
        const terms = plainTerms(text);
        for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
        for (const [term, tf] of counts) {
          const list = this.postings.get(term);
          if (list) list.push({ d, tf });
          else this.postings.set(term, [{ d, tf }]);
        }
        this.lengths.push(terms.length);
      });
    });
    const averageLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.lengths.length);
    this.norms = Float64Array.from(this.lengths, (length) => this.k1 * (1 - this.b + (this.b * length) / averageLength));
  }

  /** The `top` best sentences, best first (ties and unscored sentences: in corpus order). */
  search(question: string, top: number): ScoredSentence[] {
    const n = this.keys.length;
    if (this.scratch.length !== n) this.scratch = new Float64Array(n);
    const scores = this.scratch;
    const touched: number[] = [];
    for (const term of new Set(plainTerms(question))) {
      const list = this.postings.get(term);
      if (list === undefined) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { d, tf } of list) {
        if (scores[d] === 0) touched.push(d);
        scores[d]! += (idf * tf * (this.k1 + 1)) / (tf + (this.norms[d] ?? 1));
      }
    }
    const ranked = touched.map((d) => ({ d, score: scores[d]! }));
    for (const d of touched) scores[d] = 0;
    ranked.sort((a, b) => b.score - a.score || a.d - b.d);
    const out: ScoredSentence[] = ranked.slice(0, top).map(({ d, score }) => ({ ...(this.keys[d] as SentenceKey), score }));
    if (out.length < top) {
      const scored = new Set(touched);
      for (let d = 0; out.length < top && d < n; d++) {
        if (!scored.has(d)) out.push({ ...(this.keys[d] as SentenceKey), score: 0 });
      }
    }
    return out;
  }
}

/** Lead-N: the first N sentences of the article, in order. */
export function leadN(sentences: readonly string[], n: number): string[] {
  return sentences.slice(0, n);
}
