/**
 * FlexSearch 0.8 `Index` with its defaults: `tokenize: 'strict'` (whole words; the README's choice when
 * partial-word matching is not wanted — 'forward' only adds prefix matching at n× memory), default
 * encoder and resolution. Questions never contain every term of a sentence, so search uses
 * `{ limit: 3, suggest: true }`, the README's option for results that match only some query terms.
 */
import { Index } from 'flexsearch';
import type { LoadedCorpus, SystemAdapter, TopAnswer } from './types';

export function createAdapter(): SystemAdapter {
  const index = new Index({ tokenize: 'strict' });
  let sentences: readonly string[] = [];
  return {
    build(corpus: LoadedCorpus): void {
      sentences = corpus.sentences;
      for (let id = 0; id < sentences.length; id++) index.add(id, sentences[id] as string);
    },
    top1(question: string): TopAnswer {
      const ids = index.search(question, { limit: 3, suggest: true }) as number[];
      const best = ids[0];
      return { text: best === undefined ? undefined : sentences[best] };
    },
  };
}
