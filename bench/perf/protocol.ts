/** Messages between the benchmark and its child processes. */
import type { LatencySummary } from './stats';

export interface ChildConfig {
  system: string;
  corpusFile: string;
  /** Always ask at least this many questions (cycling if there are fewer). */
  minQuestions: number;
  /** Once `minQuestions` are done, stop asking after this many milliseconds of querying. */
  queryBudgetMs: number;
  warmup: boolean;
}

export interface MemorySnapshot {
  /** V8 heap in use after forced GC. */
  heapUsed: number;
  /** Memory outside the V8 heap owned by JS objects (typed-array buffers included). */
  external: number;
  rss: number;
}

export interface ChildResult {
  system: string;
  size: number;
  sentences: number;
  loadMs: number;
  buildMs: number;
  /** After loading the corpus, before building. */
  before: MemorySnapshot;
  /** Right after building. */
  afterBuild: MemorySnapshot;
  /** After all queries (lazy caches included). */
  afterQueries: MemorySnapshot;
  latency: LatencySummary;
  questionsAsked: number;
  /** Answerable questions asked whose article is in this corpus. */
  accuracyAsked: number;
  accuracyCorrect: number;
  /** Of all questions asked, how many the system presented as answered (ours only). */
  answered?: number;
}

export type ChildMessage =
  | { type: 'progress'; phase: string; done?: number; total?: number }
  | { type: 'result'; result: ChildResult }
  | { type: 'error'; message: string };
