/**
 * Baselines: natural's TfIdf used the obvious way (one document per sentence, `tfidfs`, top-k) for QA,
 * and Lead-N for summaries. Both work on the sentences of our own parser, so only ranking differs.
 */
import { TfIdf, naturalQueryTerms, type NaturalTfIdf } from './natural';

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

/** Lead-N: the first N sentences of the article, in order. */
export function leadN(sentences: readonly string[], n: number): string[] {
  return sentences.slice(0, n);
}
