export { UnknownSourceError } from '../engine/errors';
import type { Answer, AskOptions, SkippedFile, SourceInfo, Summary, SummaryOptions } from '../engine/types';

export interface CorpusCounts {
  sources: number;
  sentences: number;
}

export interface ReloadReport {
  /** False when the new set could not be built; the old index is still serving. */
  ok: boolean;
  before: CorpusCounts;
  after: CorpusCounts;
  /** Files that were not loaded, each with why. */
  skipped: SkippedFile[];
  /** When `ok` is false: what failed. */
  error?: string;
  durationMs: number;
}

/**
 * The articles the bot knows, as one consistent snapshot that a reload swaps atomically.
 * Every front end (console, CLI, Discord) talks to this and nothing below it.
 */
export interface Library {
  ask(question: string, options?: AskOptions): Answer;
  /** One summary per source, or only `options.source`. Throws UnknownSourceError for an unknown id. */
  summarize(options?: SummaryOptions): Summary[];
  sources(): SourceInfo[];
  /** Ranked matches of id and title for autocomplete, at most `limit` (default 25). */
  suggestSources(query: string, limit?: number): SourceInfo[];
  /** Re-reads the sources; concurrent calls share one build. Never throws. */
  reload(): Promise<ReloadReport>;
  counts(): CorpusCounts;
}

