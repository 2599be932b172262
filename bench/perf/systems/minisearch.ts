/**
 * MiniSearch as its README suggests for full-text search: one document per sentence, `fields: ['text']`,
 * nothing stored, `search(question)` with default options (OR of terms, BM25+ scoring, no fuzzy/prefix).
 * The `minisearch-stop` variant adds the README's stop-word `processTerm` (same list as natural's).
 */
import { createRequire } from 'node:module';
import MiniSearch from 'minisearch';
import type { LoadedCorpus, SystemAdapter, TopAnswer } from './types';

interface SentenceDoc {
  id: number;
  text: string;
}

const require = createRequire(import.meta.url);

function stopWords(): Set<string> {
  const { words } = require('natural/lib/natural/util/stopwords') as { words: string[] };
  return new Set(words);
}

export function createAdapter(options: { removeStopWords?: boolean } = {}): SystemAdapter {
  let index: MiniSearch<SentenceDoc>;
  let sentences: readonly string[] = [];
  let docs: SentenceDoc[] = [];
  return {
    prepare(corpus: LoadedCorpus): void {
      docs = corpus.sentences.map((text, id) => ({ id, text }));
    },
    build(corpus: LoadedCorpus): void {
      sentences = corpus.sentences;
      if (options.removeStopWords === true) {
        const stop = stopWords();
        index = new MiniSearch<SentenceDoc>({
          fields: ['text'],
          storeFields: [],
          processTerm: (term) => (stop.has(term.toLowerCase()) ? null : term.toLowerCase()),
        });
      } else {
        index = new MiniSearch<SentenceDoc>({ fields: ['text'], storeFields: [] });
      }
      index.addAll(docs);
      docs = [];
    },
    top1(question: string): TopAnswer {
      const best = index.search(question)[0];
      return { text: best === undefined ? undefined : sentences[best.id as number] };
    },
  };
}

export function createStopWordAdapter(): SystemAdapter {
  return createAdapter({ removeStopWords: true });
}
