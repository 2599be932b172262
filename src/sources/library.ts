import { Engine, type EngineOptions } from '../engine/engine';
import { UnknownSourceError } from '../engine/errors';
import type { Answer, AskOptions, SkippedFile, SourceDocument, SourceInfo, Summary, SummaryOptions } from '../engine/types';
import type { Logger } from '../logger';
import type {
  AddedSource,
  ChangeCause,
  ChangeListener,
  CorpusCounts,
  Library,
  LibraryChange,
  NewSource,
  ReloadReport,
  SourceActor,
  SourceLookup,
  UploadedFile,
} from './library-types';
import type { AnalysedDocuments } from '../engine/sentence-index';
import { loadAndAnalyse, loadAndAnalyseOffThread } from './analysed-load';
import { sourceFromUpload, sourceFromUrl, uploadProblem } from './article-intake';
import { logChanges } from './change-log';
import type { LoadOptions } from './loader';
import { planAdd, planRemove, type FolderChangePlan } from './plan-folder-change';
import { FolderWriter, type StoreFileSystem } from './folder-writer';
import { rankSources, resolveSourceName } from './source-names';

export { rankSources } from './source-names';

export interface LibraryOptions extends LoadOptions {
  /** A folder of articles, or one article file. */
  sourcesPath: string;
  engine?: Partial<EngineOptions>;
  /** For tests: the clock that stamps "loaded at". */
  now?: () => Date;
  /** Where every change (reloads, and adds and removes with who made them) is logged. */
  logger?: Logger;
  /** `addFromUrl` and `addFromUpload` may fetch from loopback and private addresses (default false). */
  allowPrivateUrls?: boolean;
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
  private readonly folder: FolderWriter;
  private readonly listeners = new Set<ChangeListener>();

  private constructor(private readonly options: LibraryOptions) {
    this.snapshot = this.buildSnapshot([], new Map());
    this.folder = new FolderWriter(options.sourcesPath, options.fileSystem ? { fileSystem: options.fileSystem } : {});
    if (options.logger !== undefined) logChanges(this, options.logger);
  }

  /** Loads the sources once; the report says what was skipped, or why nothing could be read. */
  static async open(options: LibraryOptions): Promise<{ library: ArticleLibrary; report: ReloadReport }> {
    const library = new ArticleLibrary(options);
    const report = await library.reload({ trigger: 'start' });
    return { library, report };
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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

  reload(cause: ChangeCause = { trigger: 'reload' }): Promise<ReloadReport> {
    // A reload asked for while another runs gets its own turn after it, so it sees the latest files.
    this.queuedReload ??= this.oneAtATime(async () => {
      this.queuedReload = undefined;
      const report = await this.rebuild();
      this.tell({ kind: 'reload', report, cause });
      return report;
    });
    return this.queuedReload;
  }

  addFromUrl(url: string, addedBy: SourceActor): Promise<AddedSource> {
    return this.addFetched(() => sourceFromUrl(url, this.options), addedBy, { url });
  }

  uploadProblem(file: UploadedFile): string | undefined {
    return uploadProblem(file, this.options);
  }

  addFromUpload(file: UploadedFile, addedBy: SourceActor): Promise<AddedSource> {
    return this.addFetched(() => sourceFromUpload(file, this.options), addedBy, { fileName: file.name });
  }

  /** Fetching runs before taking a turn in the queue: a slow page must not hold up other changes. */
  private async addFetched(fetch: () => Promise<Omit<NewSource, 'addedBy'>>, addedBy: SourceActor, details: Record<string, unknown>): Promise<AddedSource> {
    let source: Omit<NewSource, 'addedBy'>;
    try {
      source = await fetch();
    } catch (error) {
      this.logFailure(addedBy, 'adding a source failed; nothing changed', error, details);
      throw error;
    }
    return this.addSource({ ...source, addedBy });
  }

  addSource(source: NewSource): Promise<AddedSource> {
    return this.oneAtATime(async () => {
      try {
        await this.folder.assertFolder();
        const plan = await planAdd(this.folder, this.snapshot.engine.documents, source, this.options.maxSourceBytes, this.options.readBudget);
        const trashed = await this.apply(plan);
        const info = this.sourceInfo(plan.document.id);
        const added: AddedSource = { source: info, firstSentences: plan.document.sentences.slice(0, FIRST_SENTENCES), replaced: plan.replaced !== undefined };
        this.tell({
          kind: 'add',
          added,
          by: source.addedBy,
          ...(plan.replaced ? { replacedFile: plan.replaced.id } : {}),
          ...(trashed !== undefined ? { trashedAs: trashed } : {}),
        });
        return added;
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
        await this.folder.assertFolder();
        const trashedAs = await this.apply(planRemove(this.folder, this.snapshot.engine.documents, id));
        this.tell({ kind: 'remove', removed, by: removedBy, ...(trashedAs !== undefined ? { trashedAs } : {}) });
        return removed;
      } catch (error) {
        this.logFailure(removedBy, 'removing a source failed; nothing changed', error, { source: id });
        throw error;
      }
    });
  }

  isOwnChange(fileName: string): boolean {
    return this.folder.isOwnChange(fileName);
  }

  /** Indexes first (a failure there touches no file), then changes the folder, then swaps the snapshot. */
  private async apply(plan: FolderChangePlan): Promise<string | undefined> {
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

  /** Every listener hears of the change; one that throws is logged and does not stop the others. */
  private tell(change: LibraryChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.options.logger?.error({ err, change: change.kind }, 'a listener to library changes failed');
      }
    }
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
      const { documents, skipped, analysis } = await load(this.options.sourcesPath, { maxSourceBytes: this.options.maxSourceBytes, ...(this.options.readBudget ? { readBudget: this.options.readBudget } : {}) });
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
