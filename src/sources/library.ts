import { Engine, type EngineOptions } from '../engine/engine';
import { UnknownSourceError } from '../engine/errors';
import type { Answer, AskOptions, SkippedFile, SourceDocument, SourceInfo, Summary, SummaryOptions } from '../engine/types';
import type { Logger } from '../logger';
import type { AddedSource, CorpusCounts, Library, NewSource, ReloadReport, SourceActor, SourceLookup } from './library-types';
import type { AnalysedDocuments } from '../engine/sentence-index';
import { loadAndAnalyse, loadAndAnalyseOffThread } from './analysed-load';
import type { LoadOptions } from './loader';
import { planAdd, planRemove, type SourceChangePlan } from './source-changes';
import { rankSources, resolveSourceName } from './source-names';
import { SourceStore, type StoreFileSystem } from './source-store';

export { rankSources } from './source-names';

export interface LibraryOptions extends LoadOptions {
  /** A folder of articles, or one article file. */
  sourcesPath: string;
  engine?: Partial<EngineOptions>;
  /** For tests: the clock that stamps "loaded at". */
  now?: () => Date;
  /** Where added and removed sources are logged, with who did it. */
  logger?: Logger;
  /** For tests: file operations of the sources folder that should fail. */
  fileSystem?: Partial<StoreFileSystem>;
  /**
   * Reload on a worker thread once the serving set has this many sentences (default 50,000), so that
   * questions keep being answered while a large set is read and indexed; 0 always, Infinity never.
   */
  offThreadAbove?: number;
}

const OFF_THREAD_ABOVE = 50_000;

/** How many opening sentences an add reports. */
const FIRST_SENTENCES = 3;

/** One consistent set of articles: the engine and the facts shown about it are swapped together. */
interface Snapshot {
  engine: Engine;
  sources: SourceInfo[];
  counts: CorpusCounts;
}

/**
 * The articles the bot serves. A reload reads and indexes off to the side and swaps the snapshot in one
 * assignment when done, so a question is answered from the old set or the new one, never a mix; a
 * reload that fails leaves the old set serving. Reloads, adds and removes run one at a time; reloads
 * asked for before one starts share it.
 */
export class ArticleLibrary implements Library {
  private snapshot: Snapshot;
  private queuedReload: Promise<ReloadReport> | undefined;
  private lastSkipped: SkippedFile[] = [];
  /** The tail of the queue of reloads and changes: each waits for the one before. */
  private lastChange: Promise<unknown> = Promise.resolve();
  private readonly store: SourceStore;

  private constructor(private readonly options: LibraryOptions) {
    this.snapshot = this.buildSnapshot([], new Map());
    this.store = new SourceStore(options.sourcesPath, options.fileSystem ? { fileSystem: options.fileSystem } : {});
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

  resolveSource(name: string): SourceLookup {
    return resolveSourceName(this.snapshot.sources, name);
  }

  suggestSources(query: string, limit = 25): SourceInfo[] {
    return rankSources(this.snapshot.sources, query).slice(0, Math.max(0, limit));
  }

  reload(): Promise<ReloadReport> {
    // A reload asked for while another runs gets its own turn after it, so it sees the latest files.
    this.queuedReload ??= this.oneAtATime(() => {
      this.queuedReload = undefined;
      return this.rebuild();
    });
    return this.queuedReload;
  }

  addSource(source: NewSource): Promise<AddedSource> {
    return this.oneAtATime(async () => {
      try {
        await this.store.assertFolder();
        const plan = await planAdd(this.store, this.snapshot.engine.documents, source, this.options.maxSourceBytes);
        const trashed = await this.apply(plan);
        const added = this.sourceInfo(plan.document.id);
        const firstSentences = plan.document.sentences.slice(0, FIRST_SENTENCES);
        this.logChange(source.addedBy, plan.replaced ? 'source updated' : 'source added', {
          source: added.id,
          title: added.title,
          url: added.url,
          sentences: added.sentences,
          ...(plan.replaced ? { replacedFile: plan.replaced.id, trashedAs: trashed } : {}),
        });
        return { source: added, firstSentences, replaced: plan.replaced !== undefined };
      } catch (error) {
        this.logFailure(source.addedBy, 'adding a source failed; nothing changed', error, { url: source.metadata?.url, fileName: source.fileName });
        throw error;
      }
    });
  }

  removeSource(id: string, removedBy: SourceActor): Promise<SourceInfo> {
    return this.oneAtATime(async () => {
      try {
        const removed = this.sourceInfo(id);
        await this.store.assertFolder();
        const trashedAs = await this.apply(planRemove(this.store, this.snapshot.engine.documents, id));
        this.logChange(removedBy, 'source removed', { source: id, title: removed.title, trashedAs });
        return removed;
      } catch (error) {
        this.logFailure(removedBy, 'removing a source failed; nothing changed', error, { source: id });
        throw error;
      }
    });
  }

  isOwnChange(fileName: string): boolean {
    return this.store.isOwnChange(fileName);
  }

  /** Indexes first (a failure there touches no file), then changes the folder, then swaps the snapshot. */
  private async apply(plan: SourceChangePlan): Promise<string | undefined> {
    const snapshot = this.buildSnapshot(plan.documents, unchangedLoadTimes(this.snapshot, plan.documents));
    const trashed = await plan.commit();
    this.snapshot = snapshot;
    return trashed;
  }

  private sourceInfo(id: string): SourceInfo {
    const found = this.snapshot.sources.find((source) => source.id === id);
    if (found === undefined) throw new UnknownSourceError(id);
    return found;
  }

  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lastChange.then(work, work);
    this.lastChange = run.catch(() => undefined);
    return run;
  }

  private logChange(by: SourceActor, message: string, details: Record<string, unknown>): void {
    this.options.logger?.info({ userId: by.id, userTag: by.tag, ...details }, message);
  }

  private logFailure(by: SourceActor, message: string, error: unknown, details: Record<string, unknown>): void {
    const reason = (error as { reason?: unknown }).reason;
    const why = typeof reason === 'string' ? reason : error instanceof Error ? error.message : String(error);
    this.options.logger?.warn({ userId: by.id, userTag: by.tag, ...details, error: why }, message);
  }

  private async rebuild(): Promise<ReloadReport> {
    const started = performance.now();
    const before = this.snapshot.counts;
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const offThread = this.snapshot.counts.sentences >= (this.options.offThreadAbove ?? OFF_THREAD_ABOVE);
      const load = offThread ? loadAndAnalyseOffThread : loadAndAnalyse;
      const { documents, skipped, analysis } = await load(this.options.sourcesPath, { maxSourceBytes: this.options.maxSourceBytes });
      this.snapshot = this.buildSnapshot(documents, unchangedLoadTimes(this.snapshot, documents), analysis);
      this.lastSkipped = skipped;
      return { ok: true, before, after: this.snapshot.counts, skipped, durationMs: elapsed() };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, before, after: before, skipped: [], error: message, durationMs: elapsed() };
    }
  }

  private buildSnapshot(documents: SourceDocument[], loadedAt: Map<string, Date>, analysis?: AnalysedDocuments): Snapshot {
    const now = this.options.now?.() ?? new Date();
    const engine = new Engine(documents, this.options.engine, analysis);
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
function unchangedLoadTimes(previous: Snapshot, next: readonly SourceDocument[]): Map<string, Date> {
  const loadedAt = new Map(previous.sources.map((source) => [source.id, source.loadedAt]));
  const previousById = new Map(previous.engine.documents.map((document) => [document.id, document]));
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
