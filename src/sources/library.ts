import { stat } from 'node:fs/promises';
import { Engine, type EngineOptions } from '../engine/engine';
import { Conversations } from '../engine/conversation';
import { UnknownSourceError } from '../engine/errors';
import type { Answer, SkippedFile, SourceDocument, SourceInfo, Summary, SummaryOptions } from '../engine/types';
import type { Logger } from '../logger';
import type {
  AddedSource,
  ChangeCause,
  ChangeListener,
  CorpusCounts,
  Library,
  LibraryAskOptions,
  LibraryChange,
  NewSource,
  ReloadReport,
  SourceActor,
  SourceLookup,
  UploadedFile,
} from './library-types';
import { combineAnalyses, type AnalysisPart } from '../engine/analysis-merge';
import { analysisSteps, SentenceIndex } from '../engine/sentence-index';
import { NO_PAUSE, runSliced, TimeSlicer, type Pauser } from '../engine/time-slice';
import { STAMP_FIELDS, type AnalysedSet, type AnalysisCache } from './analysis-cache';
import { loadIncrementally, signatureOf } from './incremental-load';
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
  /**
   * A folder that does not exist yet holds no articles (instead of failing to load), and the first add
   * creates it: a server's own folder before its moderators add anything. Default false.
   */
  folderMayBeMissing?: boolean;
  /** For tests: file operations of the sources folder that should fail. */
  fileSystem?: Partial<StoreFileSystem>;
  /** The persisted analysis cache (DATA_DIR/cache); undefined = none (INDEX_CACHE=false, `--no-cache`). */
  cache?: AnalysisCache;
  /**
   * While a set is being served, a reload, add or remove gives the thread back to questions after
   * this many milliseconds of work (default 15), so answering never waits long for it.
   */
  sliceBudgetMs?: number;
}

const SLICE_BUDGET_MS = 15;

/** What `ArticleLibrary.memoryEstimate` counts: the exactly known bytes, the counts the fitted costs apply to, and the total. */
export interface MemoryEstimate {
  exact: number;
  documents: number;
  terms: number;
  sentences: number;
  estimate: number;
}

/**
 * Heap bytes beyond the typed arrays and sentence strings, fitted by `node --expose-gc --import tsx
 * bench/server-memory.ts` on shapes other than the 20 × 20 articles bench/servers.ts checks them on
 * (README, "Shared and server articles"): per library (engine, ranker, maps, snapshot), per document
 * (its object, info, hash, title terms), per term and per sentence (terms and sentences grow together in
 * prose, so the fit shares their cost between them); an empty library measured on its own (shape 0x0).
 */
const MEMORY_COSTS = { perEmptyLibrary: 6_200, perLibrary: 16_600, perDocument: 610, perTerm: 6, perSentence: 108 };

/** A string's heap size in V8: a 16-byte header, then one byte a character (Latin-1) or two, in 8-byte steps. */
function stringBytes(text: string): number {
  const body = /[\u0100-\uffff]/.test(text) ? 2 * text.length : text.length;
  return 16 + Math.ceil(body / 8) * 8;
}

/** How many opening sentences an add reports. */
const FIRST_SENTENCES = 3;

/** One consistent set of articles: the engine and the facts shown about it are swapped together. */
interface Snapshot {
  engine: Engine;
  sources: SourceInfo[];
  counts: CorpusCounts;
  /** Each document's file as last read: content hash and stamp (unknown for one just added: read again at the next reload). */
  files: Pick<AnalysedSet, 'hashes' | 'stamps'>;
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
  /** The (name, hash) list the disk cache holds for this folder, as far as this library knows. */
  private persisted: string | undefined;
  /** Follow-up scoping per conversation key (capped, forgotten after 10 minutes). */
  private readonly conversations = new Conversations();
  /** How many sets have been swapped in (the first load makes it 1): a diagnostic of how often this index was rebuilt. */
  private swaps = 0;

  private constructor(private readonly options: LibraryOptions) {
    this.snapshot = this.snapshotOf(new Engine([], options.engine), { hashes: [], stamps: new Float64Array(0) }, new Map());
    this.folder = new FolderWriter(options.sourcesPath, {
      ...(options.fileSystem ? { fileSystem: options.fileSystem } : {}),
      createFolder: options.folderMayBeMissing ?? false,
    });
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

  ask(question: string, options: LibraryAskOptions = {}): Answer {
    const { conversation, ...ask } = options;
    const { engine } = this.snapshot;
    return conversation === undefined ? engine.ask(question, ask) : this.conversations.ask(engine, conversation, question, ask);
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

  /** The number of sets swapped in so far: 1 after the first load, one more after every reload, add and remove that worked. */
  get generation(): number {
    return this.swaps;
  }

  /**
   * The heap the served set holds, estimated: its typed arrays and the ranker's scratch arrays exactly, the
   * sentence strings by V8's layout, and per library, document, term and sentence the costs that
   * bench/server-memory.ts fitted against the measured heap (object headers, maps, the term strings).
   */
  memoryEstimate(): MemoryEstimate {
    const { index } = this.snapshot.engine;
    let exact = this.snapshot.files.stamps.byteLength;
    for (const value of Object.values(index)) if (ArrayBuffer.isView(value)) exact += value.byteLength;
    // The ranker's scratch arrays: three 4-byte entries per sentence, two per document and per paragraph.
    exact += 12 * index.sentenceCount + 8 * index.documents.length + 8 * index.paragraphCount;
    for (const document of index.documents) for (const sentence of document.sentences) exact += stringBytes(sentence);
    const documents = index.documents.length;
    const terms = index.analysis().terms.length;
    const sentences = index.sentenceCount;
    // A server that never added an article (most of them) holds an empty engine and its maps: measured apart.
    const fitted = documents === 0 ? MEMORY_COSTS.perEmptyLibrary
      : MEMORY_COSTS.perLibrary + MEMORY_COSTS.perDocument * documents + MEMORY_COSTS.perTerm * terms + MEMORY_COSTS.perSentence * sentences;
    return { exact, documents, terms, sentences, estimate: exact + fitted };
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

  /**
   * Indexes first (a failure there touches no file), then changes the folder, then swaps the snapshot.
   * Only an added or replaced document is analysed; the others keep the analysis they are served with.
   */
  private async apply(plan: FolderChangePlan): Promise<string | undefined> {
    const current = this.snapshot;
    const previous = current.engine.index.analysis();
    const positions = new Map(current.engine.documents.map((document, doc) => [document.id, doc]));
    const pauser = this.pauser();
    // A removal's document is not in the new set: analysing it would only be thrown away. An added one is
    // analysed in steps of a few hundred sentences, so a large article does not hold up questions.
    const adds = plan.documents.includes(plan.document);
    const fresh = adds ? await runSliced(analysisSteps([plan.document]), pauser) : undefined;
    const parts: AnalysisPart[] = [];
    const files = { hashes: [] as string[], stamps: new Float64Array(plan.documents.length * STAMP_FIELDS) };
    plan.documents.forEach((document, position) => {
      const doc = document === plan.document ? undefined : positions.get(document.id);
      parts.push(doc === undefined ? { analysis: fresh!, doc: 0 } : { analysis: previous, doc });
      // The added file's hash is that of what the add writes: the next reload finds it unchanged.
      files.hashes.push(doc === undefined ? (plan.hash ?? '') : (current.files.hashes[doc] ?? ''));
      if (doc !== undefined) files.stamps.set(current.files.stamps.subarray(doc * STAMP_FIELDS, (doc + 1) * STAMP_FIELDS), position * STAMP_FIELDS);
    });
    const { index } = current.engine;
    const served = { documents: index.documents, analysis: previous, index: index.builtIndex(), termId: (term: string) => index.storedTermId(term) };
    const combined = await runSliced(combineAnalyses(plan.documents, parts, [served]), pauser);
    const built = await SentenceIndex.fromAnalysisSliced(plan.documents, combined.analysis, pauser, combined.index, index);
    await pauser.pause();
    const engine = new Engine(plan.documents, this.options.engine, built);
    await pauser.pause();
    const snapshot = this.snapshotOf(engine, files, unchangedLoadTimes(current, plan.documents));
    const trashed = await plan.commit();
    this.swap(snapshot);
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

  /** Pauses for questions while something is being served; runs straight through at start. */
  private pauser(): Pauser {
    return this.snapshot.counts.sources > 0 ? new TimeSlicer(this.options.sliceBudgetMs ?? SLICE_BUDGET_MS) : NO_PAUSE;
  }

  private async rebuild(): Promise<ReloadReport> {
    // process.hrtime, not performance.now(): the first use of the global `performance` loads node:perf_hooks (a few ms of a CLI start).
    const started = process.hrtime.bigint();
    const current = this.snapshot;
    const before = current.counts;
    const elapsed = () => Math.round(Number(process.hrtime.bigint() - started) / 1e6);
    try {
      if (this.options.folderMayBeMissing === true && !(await exists(this.options.sourcesPath))) {
        // A server's own folder before anything was added: no articles yet, and nothing to cache.
        this.swap(this.snapshotOf(new Engine([], this.options.engine), { hashes: [], stamps: new Float64Array(0) }, new Map()));
        this.lastSkipped = [];
        return { ok: true, before, after: this.snapshot.counts, skipped: [], durationMs: elapsed(), changed: before.sources > 0 };
      }
      const pauser = this.pauser();
      const { index } = current.engine;
      const previous = { documents: [...current.engine.documents], ...current.files, analysis: index.analysis(), index: index.builtIndex(), termId: (term: string) => index.storedTermId(term) };
      const { cache } = this.options;
      const load = await loadIncrementally(this.options.sourcesPath, {
        maxSourceBytes: this.options.maxSourceBytes,
        ...(this.options.readBudget ? { readBudget: this.options.readBudget } : {}),
        previous,
        pauser,
        ...(cache ? { cache } : {}),
      });
      const { documents, skipped, analysis, hashes, stamps } = load;
      const built = await SentenceIndex.fromAnalysisSliced(documents, analysis, pauser, load.index, current.engine.index);
      // Each of the last steps (the index's maps, the ranker's arrays, the sources list) takes tens of
      // milliseconds at 10,000 files: questions are answered between them.
      await pauser.pause();
      const engine = new Engine(documents, this.options.engine, built);
      await pauser.pause();
      this.swap(this.snapshotOf(engine, { hashes, stamps }, unchangedLoadTimes(current, documents)));
      this.lastSkipped = skipped;
      if (load.cacheSignature !== undefined) this.persisted = load.cacheSignature;
      if (cache !== undefined) this.persist(cache, load.source, { documents, hashes, stamps, analysis, index: built.builtIndex() }, load.read > 0);
      // A file whose hash is not known (none should be: an add records what it wrote) counts as changed: when unsure, say it changed.
      const changed = signatureOf({ documents: [...current.engine.documents], hashes: current.files.hashes }) !== signatureOf({ documents, hashes });
      return { ok: true, before, after: this.snapshot.counts, skipped, durationMs: elapsed(), analysedFiles: load.analysed, changed };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, before, after: before, skipped: [], error: message, durationMs: elapsed() };
    }
  }

  /** Serves `snapshot` from now on: one assignment, so a question sees the old set or the new one. */
  private swap(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    this.swaps += 1;
  }

  /** Saves the set to the disk cache in the background when the cache does not hold exactly it (or its files were read again). */
  private persist(cache: AnalysisCache, source: string, set: AnalysedSet, restamped: boolean): void {
    const signature = signatureOf(set);
    if (signature === this.persisted && !restamped) return;
    this.persisted = signature;
    void cache.write(source, set);
  }

  private snapshotOf(engine: Engine, files: Snapshot['files'], loadedAt: Map<string, Date>): Snapshot {
    const now = this.options.now?.() ?? new Date();
    const { documents } = engine;
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
    return { engine, sources, counts: { sources: sources.length, sentences }, files };
  }
}

/** Keeps the old "loaded at" of sources whose text did not change, so `/sources` shows real change times. */
function unchangedLoadTimes(previous: Snapshot, next: readonly SourceDocument[]): Map<string, Date> {
  // One map for both lookups: `sources` lists the served documents in their order (see `snapshotOf`).
  const { documents } = previous.engine;
  const position = new Map<string, number>();
  for (let doc = 0; doc < documents.length; doc++) position.set(documents[doc]!.id, doc);
  const kept = new Map<string, Date>();
  for (const document of next) {
    const at = position.get(document.id);
    if (at === undefined) continue;
    const old = documents[at];
    const time = previous.sources[at]?.loadedAt;
    // The same object is the same content (an unchanged file keeps its document): no need to compare its sentences.
    if (old !== undefined && time !== undefined && (old === document || sameContent(old, document))) kept.set(document.id, time);
  }
  return kept;
}

function sameContent(a: SourceDocument, b: SourceDocument): boolean {
  return a.title === b.title && a.url === b.url && a.sentences.length === b.sentences.length
    && a.sentences.every((sentence, i) => sentence === b.sentences[i]);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
