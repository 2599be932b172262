import { UnknownSourceError } from './errors';
import type { Answer, AskOptions } from './types';

/** Anything that answers questions the engine's way (an Engine, or the Library over it). */
export interface Asker {
  ask(question: string, options?: AskOptions): Answer;
}

export interface ConversationOptions {
  /** How long after an answer a follow-up is still scoped to its article (default 10 minutes). */
  memoryMs: number;
  /** Conversations remembered at once; the least recently used is forgotten first (default 10,000). */
  maxConversations: number;
  /** The clock (injected for tests). */
  now: () => number;
}

export const DEFAULT_CONVERSATION: ConversationOptions = { memoryMs: 10 * 60_000, maxConversations: 10_000, now: () => Date.now() };

interface Memory {
  source: string;
  title: string;
  at: number;
}

/**
 * Follow-up questions: in one conversation (a console session, a CLI run, a Discord channel or thread),
 * a question whose own words do not point at an article — "When was he born?" — is asked of the
 * article of the previous answer, for `memoryMs` after it. A question that does point elsewhere (the
 * previous article holds too little of its words, so it declines there) is answered from all the
 * articles and moves the conversation.
 * A question given a `source` is asked as it is.
 */
export class Conversations {
  private readonly memories = new Map<string, Memory>();
  private readonly options: ConversationOptions;

  constructor(options: Partial<ConversationOptions> = {}) {
    this.options = { ...DEFAULT_CONVERSATION, ...options };
  }

  ask(asker: Asker, key: string, question: string, options: AskOptions = {}): Answer {
    if (options.source !== undefined) return this.remember(key, asker.ask(question, options));
    const open = asker.ask(question, options);
    const memory = this.recall(key);
    if (memory === undefined || open.hits[0]?.source === memory.source) return this.remember(key, open);
    let scoped: Answer;
    try {
      scoped = asker.ask(question, { ...options, source: memory.source });
    } catch (error) {
      // The article was removed since: the conversation starts afresh.
      if (!(error instanceof UnknownSourceError)) throw error;
      this.memories.delete(key);
      return this.remember(key, open);
    }
    // The question points elsewhere when the previous article does not hold enough of its words to answer.
    if (!scoped.answered) return this.remember(key, open);
    return this.remember(key, { ...scoped, followUp: { source: memory.source, title: memory.title } });
  }

  /** Forgets one conversation. */
  forget(key: string): void {
    this.memories.delete(key);
  }

  private recall(key: string): Memory | undefined {
    const memory = this.memories.get(key);
    if (memory === undefined) return undefined;
    if (this.options.now() - memory.at > this.options.memoryMs) {
      this.memories.delete(key);
      return undefined;
    }
    return memory;
  }

  private remember(key: string, answer: Answer): Answer {
    const first = answer.hits[0];
    if (answer.answered && first !== undefined) {
      this.memories.delete(key);
      this.memories.set(key, { source: first.source, title: first.title, at: this.options.now() });
      if (this.memories.size > this.options.maxConversations) {
        const oldest = this.memories.keys().next().value;
        if (oldest !== undefined) this.memories.delete(oldest);
      }
    }
    return answer;
  }
}
