// The front ends (console, CLI, Discord) take what they show from here, never from the engine itself.
export { UnknownSourceError } from '../engine/errors';
export type { Answer, Hit, SourceInfo, Summary } from '../engine/types';
import type { Answer, AskOptions, SkippedFile, SourceInfo, Summary, SummaryOptions } from '../engine/types';
import type { SourceFormat } from './formats/detect';
import type { ArticleMetadata } from './parse';

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

/** Who made a change to the sources, for the log: a Discord user id and tag, or e.g. `console`. */
export interface SourceActor {
  id: string;
  tag: string;
}

/** Front matter the bot writes into a saved article, besides what articles themselves carry. */
export interface SourceMetadata extends ArticleMetadata {
  /** When the page was fetched (ISO 8601). */
  fetched?: string;
  /** When the file was uploaded (ISO 8601). */
  uploaded?: string;
}

export interface NewSource {
  /** The article: plain prose (`text`, e.g. a fetched page's extracted text), Markdown or HTML. */
  text: string;
  format: SourceFormat;
  /** Wins over front matter in `text`; `url` decides whether this updates an existing source. */
  metadata?: SourceMetadata;
  /** An uploaded file's name: a fallback for naming the saved file (the title and url come first). */
  fileName?: string;
  addedBy: SourceActor;
}

export interface AddedSource {
  source: SourceInfo;
  /** The article's opening sentences, to show what was indexed. */
  firstSentences: string[];
  /** True when a source with the same url was updated instead of a new one added. */
  replaced: boolean;
}

/** What a source name given by a person refers to (see `Library.resolveSource`). */
export type SourceLookup =
  | { kind: 'found'; source: SourceInfo }
  /** Several sources match equally well: the person has to say which. */
  | { kind: 'ambiguous'; name: string; matches: SourceInfo[] }
  /** Nothing matches; `suggestions` are the nearest names, best first (maybe none). */
  | { kind: 'unknown'; name: string; suggestions: SourceInfo[] };

/**
 * The articles the bot knows, as one consistent snapshot that a reload swaps atomically.
 * Every front end (console, CLI, Discord) talks to this and nothing below it.
 */
export interface Library {
  ask(question: string, options?: AskOptions): Answer;
  /** One summary per source, or only `options.source`. Throws UnknownSourceError for an unknown id. */
  summarize(options?: SummaryOptions): Summary[];
  sources(): SourceInfo[];
  /**
   * The source a person named: a file name, a title, or an unambiguous case-insensitive start of a title.
   * Every front end resolves `source` options through this before passing the id on.
   */
  resolveSource(name: string): SourceLookup;
  /** Ranked matches of id and title for autocomplete, at most `limit` (default 25). */
  suggestSources(query: string, limit?: number): SourceInfo[];
  /** Re-reads the sources; calls made before a reload starts share it. Never throws. */
  reload(): Promise<ReloadReport>;
  counts(): CorpusCounts;
  /**
   * Saves an article into the sources folder and indexes it at once; one with the same url is updated.
   * On failure nothing changes. Throws SourceFormatError or SourceChangeError, each with a `reason`.
   */
  addSource(source: NewSource): Promise<AddedSource>;
  /** Moves a source's file to `.trash/` and drops it from the index. Throws UnknownSourceError or SourceChangeError. */
  removeSource(id: string, removedBy: SourceActor): Promise<SourceInfo>;
  /** True for a file name the library itself just wrote or moved, so a folder watcher can ignore it. */
  isOwnChange?(fileName: string): boolean;
}

