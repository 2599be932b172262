/** The project's engine as the evaluation and the regression test drive it. */
import { createEngine } from '../../src/engine/engine';
import { parseArticle } from '../../src/sources/parse';
import type { EngineApi } from './run';

export const EVAL_API: EngineApi = {
  parseArticle: (id, raw) => parseArticle(id, raw),
  createEngine: (docs) => createEngine(docs),
};
