/**
 * wink-bm25-text-search with the wink-nlp-utils preparation pipe its docs give (lower-case, tokenize,
 * remove stop words, stem, propagate negations); one document per sentence, `search(question, 3)`.
 */
import { createRequire } from 'node:module';
import type { LoadedCorpus, SystemAdapter, TopAnswer } from './types';

type PrepTask = (input: never) => unknown;
interface WinkEngine {
  defineConfig(config: { fldWeights: Record<string, number> }): boolean;
  definePrepTasks(tasks: PrepTask[]): number;
  addDoc(doc: { text: string }, id: number): number;
  consolidate(fp?: number): boolean;
  search(text: string, limit?: number): [string | number, number][];
}
interface WinkNlpUtils {
  string: { lowerCase: PrepTask; tokenize0: PrepTask };
  tokens: { removeWords: PrepTask; stem: PrepTask; propagateNegations: PrepTask };
}

const require = createRequire(import.meta.url);

export function createAdapter(): SystemAdapter {
  const bm25 = require('wink-bm25-text-search') as () => WinkEngine;
  const nlp = require('wink-nlp-utils') as WinkNlpUtils;
  const engine = bm25();
  let sentences: readonly string[] = [];
  return {
    build(corpus: LoadedCorpus): void {
      sentences = corpus.sentences;
      engine.defineConfig({ fldWeights: { text: 1 } });
      engine.definePrepTasks([
        nlp.string.lowerCase,
        nlp.string.tokenize0,
        nlp.tokens.removeWords,
        nlp.tokens.stem,
        nlp.tokens.propagateNegations,
      ]);
      for (let id = 0; id < sentences.length; id++) engine.addDoc({ text: sentences[id] as string }, id);
      engine.consolidate();
    },
    top1(question: string): TopAnswer {
      const best = engine.search(question, 3)[0];
      return { text: best === undefined ? undefined : sentences[Number(best[0])] };
    },
  };
}
