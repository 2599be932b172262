import type { CorpusDoc } from '../corpus';

/** The corpus as a child holds it: documents, and the same sentences flattened (global order). */
export interface LoadedCorpus {
  docs: readonly CorpusDoc[];
  sentences: readonly string[];
}

export interface TopAnswer {
  /** The best sentence's text, or undefined when the system returned nothing. */
  text: string | undefined;
  /** Our engine only: whether it would present the answer (false = declined as weak/no match). */
  answered?: boolean;
}

/** One system under test, as used inside its child process. */
export interface SystemAdapter {
  /** Untimed set-up before the memory baseline (e.g. shaping documents the way the system takes them). */
  prepare?(corpus: LoadedCorpus): void;
  /** Builds the index: this is what "build time" and "index heap" measure. */
  build(corpus: LoadedCorpus): void;
  /** Answers one question: this is what query latency measures. */
  top1(question: string): TopAnswer;
}
