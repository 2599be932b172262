/** The project's engine as the evaluation and the regression test drive it. */
import { Conversations } from '../../src/engine/conversation';
import { createEngine, type Engine } from '../../src/engine/engine';
import { parseArticle } from '../../src/sources/parse';
import type { EngineApi } from './run';

export const EVAL_API: EngineApi = {
  parseArticle: (id, raw) => parseArticle(id, raw),
  createEngine: (docs) => createEngine(docs),
  createConversation: (engine) => {
    const conversations = new Conversations();
    return {
      ask: (question, options) => conversations.ask(engine as Engine, 'eval', question, options),
      reset: () => conversations.forget('eval'),
    };
  },
};
