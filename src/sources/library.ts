import { Engine, type EngineOptions } from '../engine/engine';
import type { Answer, AskOptions, SkippedFile, SourceDocument, SourceInfo, Summary, SummaryOptions } from '../engine/types';
import type { CorpusCounts, Library, ReloadReport } from './library-types';
import { loadSources, type LoadOptions } from './loader';

export interface LibraryOptions extends LoadOptions {
  /** A folder of articles, or one article file. */
  sourcesPath: string;
  engine?: Partial<EngineOptions>;
  /** For tests: the clock that stamps "loaded at". */
  now?: () => Date;
}

/** One consistent set of articles: the engine and the facts shown about it are swapped together. */
interface Snapshot {
  engine: Engine;
  sources: SourceInfo[];
  counts: CorpusCounts;
}

/**
 * The articles the bot serves. A reload reads and indexes off to the side and swaps the snapshot in one
 * assignment when done, so a question is answered from the old set or the new one, never a mix; a
 * reload that fails leaves the old set serving. Concurrent reloads share one build.
 */
export class ArticleLibrary implements Library {
  private snapshot: Snapshot;
  private pendingReload: Promise<ReloadReport> | undefined;
  private lastSkipped: SkippedFile[] = [];

  private constructor(private readonly options: LibraryOptions) {
    this.snapshot = this.buildSnapshot([], new Map());
  }

  /** Loads the sources once; the report says what was skipped, or why nothing could be read. */
  static async open(options: LibraryOptions): Promise<{ library: ArticleLibrary; report: ReloadReport }> {
    const library = new ArticleLibrary(options);
    const report = await library.reload();
    return { library, report };
  }

  ask(question: string, options?: AskOptions): Answer {
    return this.snapshot.engine.ask(question, options);
  }

  summarize(options?: SummaryOptions): Summary[] {
    return this.snapshot.engine.summarize(options);
  }

  sources(): SourceInfo[] {
    return this.snapshot.sources;
  }

  documents(): readonly SourceDocument[] {
    return this.snapshot.engine.documents;
  }

  counts(): CorpusCounts {
    return this.snapshot.counts;
  }

  /** Files the last successful load skipped, with why. */
  skipped(): SkippedFile[] {
    return this.lastSkipped;
  }

  suggestSources(query: string, limit = 25): SourceInfo[] {
    return rankSources(this.snapshot.sources, query).slice(0, Math.max(0, limit));
  }

  reload(): Promise<ReloadReport> {
    this.pendingReload ??= this.rebuild().finally(() => {
      this.pendingReload = undefined;
    });
    return this.pendingReload;
  }

  private async rebuild(): Promise<ReloadReport> {
    const started = performance.now();
    const before = this.snapshot.counts;
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const { documents, skipped } = await loadSources(this.options.sourcesPath, this.options);
      const loadedAt = new Map(this.snapshot.sources.map((source) => [source.id, source.loadedAt]));
      this.snapshot = this.buildSnapshot(documents, unchangedLoadTimes(loadedAt, this.snapshot.engine.documents, documents));
      this.lastSkipped = skipped;
      return { ok: true, before, after: this.snapshot.counts, skipped, durationMs: elapsed() };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, before, after: before, skipped: [], error: message, durationMs: elapsed() };
    }
  }

  private buildSnapshot(documents: SourceDocument[], loadedAt: Map<string, Date>): Snapshot {
    const now = this.options.now?.() ?? new Date();
    const engine = new Engine(documents, this.options.engine);
    const sources = documents.map((document): SourceInfo => {
      const info: SourceInfo = {
        id: document.id,
        title: document.title,
        sentences: document.sentences.length,
        loadedAt: loadedAt.get(document.id) ?? now,
      };
      if (document.url !== undefined) info.url = document.url;
      return info;
    });
    const sentences = sources.reduce((total, source) => total + source.sentences, 0);
    return { engine, sources, counts: { sources: sources.length, sentences } };
  }
}

/** Keeps the old "loaded at" of sources whose text did not change, so `/sources` shows real change times. */
function unchangedLoadTimes(
  loadedAt: Map<string, Date>,
  previous: readonly SourceDocument[],
  next: readonly SourceDocument[],
): Map<string, Date> {
  const previousById = new Map(previous.map((document) => [document.id, document]));
  const kept = new Map<string, Date>();
  for (const document of next) {
    const old = previousById.get(document.id);
    const time = loadedAt.get(document.id);
    if (old !== undefined && time !== undefined && sameContent(old, document)) kept.set(document.id, time);
  }
  return kept;
}

function sameContent(a: SourceDocument, b: SourceDocument): boolean {
  return a.title === b.title && a.url === b.url && a.sentences.length === b.sentences.length
    && a.sentences.every((sentence, i) => sentence === b.sentences[i]);
}

/** Autocomplete order: exact id, then id or title starting with the query, then containing it. */
export function rankSources(sources: readonly SourceInfo[], query: string): SourceInfo[] {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [...sources].sort((a, b) => a.title.localeCompare(b.title));
  const ranked: { source: SourceInfo; rank: number }[] = [];
  for (const source of sources) {
    const rank = matchRank(source, needle);
    if (rank !== undefined) ranked.push({ source, rank });
  }
  return ranked.sort((a, b) => a.rank - b.rank || a.source.title.localeCompare(b.source.title)).map(({ source }) => source);
}

function matchRank(source: SourceInfo, needle: string): number | undefined {
  const id = source.id.toLowerCase();
  const title = source.title.toLowerCase();
  if (id === needle) return 0;
  if (id.startsWith(needle) || title.startsWith(needle)) return 1;
  if (title.split(/\W+/).some((word) => word.startsWith(needle))) return 2;
  if (id.includes(needle) || title.includes(needle)) return 3;
  const words = needle.split(/\s+/);
  return words.every((word) => title.includes(word) || id.includes(word)) ? 4 : undefined;
}
