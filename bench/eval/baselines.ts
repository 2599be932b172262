/**
 * Baselines: natural's TfIdf used the obvious way (one document per sentence, `tfidfs`, top-k) for QA,
 * and Lead-N for summaries. Both work on the sentences of our own parser, so only ranking differs.
 */
import { TfIdf, naturalQueryTerms } from './natural';

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
  private readonly tfidf = new TfIdf();
  private readonly keys: SentenceKey[] = [];

  constructor(docs: readonly (readonly string[])[]) {
    docs.forEach((sentences, doc) => {
      sentences.forEach((text, i) => {
        this.tfidf.addDocument(text);
        this.keys.push({ doc, sentence: i + 1 });
      });
    });
  }

  /**
   * The `top` best sentences for a question, best first: `tfidfs(question)` then sort by score
   * (ties: article order, then sentence order). Never declines.
   */
  search(question: string, top: number): ScoredSentence[] {
    // Same scores as tfidfs(question): the string form tokenises exactly like this, once per document.
    const scores = this.tfidf.tfidfs(naturalQueryTerms(question));
    const order = scores.map((_, i) => i);
    order.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
    return order.slice(0, top).map((i) => {
      const key = this.keys[i] as SentenceKey;
      return { ...key, score: scores[i] ?? 0 };
    });
  }
}

/** Lead-N: the first N sentences of the article, in order. */
export function leadN(sentences: readonly string[], n: number): string[] {
  return sentences.slice(0, n);
}
