/**
 * This project's engine: each corpus document as one SourceDocument (sentences pre-split), built with
 * `createEngine`, queried with `engine.ask(question, { top: 3 })` (all ranking features on).
 */
import { createEngine, type Engine } from '../../../src/engine/engine';
import type { SourceDocument } from '../../../src/engine/types';
import type { LoadedCorpus, SystemAdapter, TopAnswer } from './types';

export function createAdapter(): SystemAdapter {
  let documents: SourceDocument[] = [];
  let engine: Engine | undefined;
  return {
    prepare(corpus: LoadedCorpus): void {
      documents = corpus.docs.map((doc) => ({
        id: doc.id,
        title: doc.title,
        sentences: doc.sentences,
        paragraphs: doc.paragraphs ?? doc.sentences.map(() => 0),
      }));
    },
    build(): void {
      engine = createEngine(documents);
    },
    top1(question: string): TopAnswer {
      if (engine === undefined) throw new Error('build() first');
      const answer = engine.ask(question, { top: 3 });
      return { text: answer.hits[0]?.text, answered: answer.answered };
    },
  };
}
