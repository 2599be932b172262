/**
 * natural's TfIdf used the obvious way: one document per sentence (`addDocument`), then
 * `tfidfs(question)` scores every document and we keep the best. Loaded from its own file
 * (the package root costs ~0.7 s and prints dotenv noise).
 */
import { createRequire } from 'node:module';
import type { LoadedCorpus, SystemAdapter, TopAnswer } from './types';

interface TfIdfInstance {
  addDocument(document: string): void;
  tfidfs(terms: string, callback?: (i: number, measure: number) => void): number[];
}
type TfIdfClass = new () => TfIdfInstance;

const require = createRequire(import.meta.url);
const TfIdf = require('natural/lib/natural/tfidf/tfidf') as TfIdfClass;

export function createAdapter(): SystemAdapter {
  const tfidf = new TfIdf();
  let sentences: readonly string[] = [];
  return {
    build(corpus: LoadedCorpus): void {
      sentences = corpus.sentences;
      for (const sentence of sentences) tfidf.addDocument(sentence);
    },
    top1(question: string): TopAnswer {
      let best = -1;
      let bestScore = 0;
      tfidf.tfidfs(question, (i, measure) => {
        if (measure > bestScore) {
          bestScore = measure;
          best = i;
        }
      });
      return { text: best < 0 ? undefined : sentences[best] };
    },
  };
}
