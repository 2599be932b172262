/**
 * One bot, many servers. The operator's shared articles (SOURCES_DIR) are indexed once and answered in every
 * server; each server's own articles live in DATA_DIR/guilds/<id>/articles/ with an index of their own,
 * built on first use, kept while there is room (least recently used first out, within a memory budget)
 * and rebuilt from its folder when asked again. A server's view searches both indexes side by side, so a
 * change in one server never touches another server's index, and the shared index is never copied.
 */
import { realpathSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Conversations } from '../engine/conversation';
import { UnknownSourceError } from '../engine/errors';
import type { Answer, AskOptions, SkippedFile, SourceInfo, Summary, SummaryOptions } from '../engine/types';
import type { Logger } from '../logger';
import type { AnalysisCache } from './analysis-cache';
import { SourceChangeError } from './folder-writer';
import { ArticleLibrary } from './library';
import type {
  AddedSource,
  ChangeCause,
  ChangeListener,
  CorpusCounts,
  Library,
  LibraryAskOptions,
  NewSource,
  ServerLibraryDirectory,
  ReloadReport,
  SourceActor,
  SourceLookup,
  UploadedFile,
} from './library-types';
import { mergeAnswers } from './merge-answers';
import { ServerSettingsStore, type ServerSettings } from './server-settings';
import { rankSources, resolveSourceName } from './source-names';

/** Default memory budget for the servers' own indexes (SERVER_INDEX_BUDGET_MB). */
export const DEFAULT_SERVER_INDEX_BUDGET_BYTES = 256 * 1024 * 1024;
const DEFAULT_TOP = 3;

export interface ServerLibrariesOptions {
  /** The operator's articles, already opened. */
  shared: ArticleLibrary;
  /** Holds `guilds/<id>/articles/` and `guilds/<id>/settings.json`. */
  dataDir: string;
  /** The servers' own indexes are dropped, least recently used first, once together they pass this. */
  budgetBytes?: number;
  maxSourceBytes?: number;
  allowPrivateUrls?: boolean;
  logger?: Logger;
  /** MODERATOR_ROLE_IDS: moderator roles in a server that has not set its own. */
  fallbackModeratorRoleIds?: readonly string[];
  /**
   * The persisted analysis cache (DATA_DIR/cache, the one the shared articles use): a server's index rebuilt
   * after a drop or a restart analyses only its new and changed files. Undefined = none (INDEX_CACHE=false).
   */
  cache?: AnalysisCache;
}

/** What a process holds of the servers' own indexes, for diagnostics (logged when a shard stops). */
export interface ServerIndexStats {
  /** Server indexes built since start: first uses, and rebuilds after a drop. */
  builds: number;
  /** Of those, servers built again after their index had been dropped. */
  rebuilds: number;
  /** Files those builds parsed and analysed afresh (the others came from the analysis cache). */
  analysedFiles: number;
  /** Indexes dropped to stay within the memory budget. */
  dropped: number;
  /** The loaded servers, least recently used first: sets swapped in since built, times built, estimated bytes. */
  loaded: { guildId: string; generation: number; builds: number; bytes: number }[];
}

/** A server id as Discord writes it; anything else never becomes a path. */
const SERVER_ID = /^\d{1,20}$/;

/** True for a server (guild) id as Discord writes it: a snowflake, 1 to 20 digits. */
export function isServerId(id: string): boolean {
  return SERVER_ID.test(id);
}

export function serverFolder(dataDir: string, guildId: string): string {
  if (!isServerId(guildId)) throw new Error(`not a server id: ${JSON.stringify(guildId.slice(0, 40))}`);
  return join(dataDir, 'guilds', guildId);
}

export function serverArticlesFolder(dataDir: string, guildId: string): string {
  return join(serverFolder(dataDir, guildId), 'articles');
}

interface Loaded {
  library: ArticleLibrary;
  bytes: number;
}

export class ServerLibraries implements ServerLibraryDirectory {
  readonly shared: ArticleLibrary;
  readonly settings: ServerSettingsStore;
  private readonly budgetBytes: number;
  /** Loaded servers in least-recently-used order (the first is the next to drop). */
  private readonly loaded = new Map<string, Loaded>();
  private readonly loading = new Map<string, Promise<ArticleLibrary>>();
  private readonly serverListeners = new Set<(guildId: string, change: Parameters<ChangeListener>[0]) => void>();
  /** How often each server's index was built in this process (a few bytes per server ever asked). */
  private readonly buildCounts = new Map<string, number>();
  private readonly totals = { analysedFiles: 0, dropped: 0 };
  /**
   * Follow-ups of every server's conversations, over the server's merged answers (its own articles and the
   * shared ones): kept here, so a dropped and rebuilt index does not forget them. Keys start with the server id.
   */
  private readonly conversations = new Conversations();

  constructor(private readonly options: ServerLibrariesOptions) {
    this.shared = options.shared;
    this.budgetBytes = options.budgetBytes ?? DEFAULT_SERVER_INDEX_BUDGET_BYTES;
    this.settings = new ServerSettingsStore(options.dataDir);
  }

  /** The view a server is answered from: the shared articles and its own, its own index built if needed. */
  async forServer(guildId: string): Promise<ServerLibrary> {
    const own = await this.ownLibrary(guildId);
    return new ServerLibrary(guildId, this.shared, own, this.conversations);
  }

  async moderatorRoleIds(guildId: string): Promise<readonly string[]> {
    const own = await this.moderatorRole(guildId);
    return own !== undefined ? [own] : (this.options.fallbackModeratorRoleIds ?? []);
  }

  async moderatorRole(guildId: string): Promise<string | undefined> {
    return (await this.settings.get(guildId)).moderatorRoleId;
  }

  async setModeratorRole(guildId: string, roleId: string | undefined): Promise<void> {
    await this.settings.update(guildId, { moderatorRoleId: roleId });
  }

  /** Servers whose own index is in memory, least recently used first. */
  loadedServers(): string[] {
    return [...this.loaded.keys()];
  }

  /** Bytes the loaded servers' indexes hold, roughly. */
  loadedBytes(): number {
    let total = 0;
    for (const { bytes } of this.loaded.values()) total += bytes;
    return total;
  }

  /** Counters of the servers' indexes in this process (a shard holds only its own servers'). */
  stats(): ServerIndexStats {
    let builds = 0;
    let rebuilds = 0;
    for (const count of this.buildCounts.values()) {
      builds += count;
      rebuilds += count - 1;
    }
    const loaded = [...this.loaded].map(([guildId, { library, bytes }]) => ({ guildId, generation: library.generation, builds: this.buildCounts.get(guildId) ?? 0, bytes }));
    return { builds, rebuilds, analysedFiles: this.totals.analysedFiles, dropped: this.totals.dropped, loaded };
  }

  /** Drops a server's index from memory (its folder stays); the next question rebuilds it. */
  drop(guildId: string): void {
    this.loaded.delete(guildId);
  }

  /** Hears of every change to any server's own articles, with that server's id. */
  onServerChange(listener: (guildId: string, change: Parameters<ChangeListener>[0]) => void): () => void {
    this.serverListeners.add(listener);
    return () => this.serverListeners.delete(listener);
  }

  /** The bot left the server: its folder is kept (a re-invite finds it) but marked, for forgetLeftServers. */
  async markLeft(guildId: string, now = new Date()): Promise<void> {
    this.drop(guildId);
    await this.settings.update(guildId, { leftAt: now.toISOString() });
  }

  /** The bot is in the server (again): it is no longer marked as left. */
  async markPresent(guildId: string): Promise<void> {
    const current = await this.settings.get(guildId);
    if (current.leftAt !== undefined) await this.settings.update(guildId, { leftAt: undefined });
  }

  /** Deletes the folders of servers the bot left more than `days` ago; returns their ids. */
  async forgetLeftServers(days: number, isMine: (guildId: string) => boolean = () => true, now = new Date()): Promise<string[]> {
    const forgotten: string[] = [];
    for (const guildId of await this.settings.knownServers()) {
      if (!isMine(guildId)) continue;
      const { leftAt } = await this.settings.get(guildId);
      if (leftAt === undefined || now.getTime() - Date.parse(leftAt) < days * 86_400_000) continue;
      this.drop(guildId);
      await this.forgetCache(guildId);
      await rm(serverFolder(this.options.dataDir, guildId), { recursive: true, force: true });
      this.settings.forget(guildId);
      forgotten.push(guildId);
      this.options.logger?.info({ guildId, leftAt }, 'forgot the articles and settings of a server the bot left');
    }
    return forgotten;
  }

  /** A forgotten server's cached analysis holds its articles' text: it goes with the folder. */
  private async forgetCache(guildId: string): Promise<void> {
    const { cache } = this.options;
    if (cache === undefined) return;
    let folder: string;
    try {
      folder = realpathSync(serverArticlesFolder(this.options.dataDir, guildId));
    } catch {
      return; // no folder, so nothing was ever cached for it
    }
    await cache.settled();
    await rm(cache.fileFor(folder), { force: true });
  }

  private async ownLibrary(guildId: string): Promise<ArticleLibrary> {
    const hit = this.loaded.get(guildId);
    if (hit !== undefined) {
      // Most recently used goes last.
      this.loaded.delete(guildId);
      this.loaded.set(guildId, hit);
      return hit.library;
    }
    let pending = this.loading.get(guildId);
    if (pending === undefined) {
      pending = this.build(guildId).finally(() => this.loading.delete(guildId));
      this.loading.set(guildId, pending);
    }
    return pending;
  }

  private async build(guildId: string): Promise<ArticleLibrary> {
    const { options } = this;
    const logger = options.logger?.child({ guildId });
    const { library, report } = await ArticleLibrary.open({
      sourcesPath: serverArticlesFolder(options.dataDir, guildId),
      folderMayBeMissing: true,
      ...(options.maxSourceBytes !== undefined ? { maxSourceBytes: options.maxSourceBytes } : {}),
      ...(options.allowPrivateUrls !== undefined ? { allowPrivateUrls: options.allowPrivateUrls } : {}),
      ...(logger !== undefined ? { logger } : {}),
      ...(options.cache !== undefined ? { cache: options.cache } : {}),
    });
    const builds = (this.buildCounts.get(guildId) ?? 0) + 1;
    this.buildCounts.set(guildId, builds);
    this.totals.analysedFiles += report.analysedFiles ?? 0;
    if (!report.ok) logger?.warn({ error: report.error }, "a server's articles could not be read; it is answered from the shared articles only");
    library.onChange((change) => {
      const entry = this.loaded.get(guildId);
      if (entry?.library === library) {
        this.loaded.delete(guildId);
        this.remember(guildId, library);
      }
      for (const listener of this.serverListeners) listener(guildId, change);
    });
    this.remember(guildId, library);
    logger?.debug(
      { ...report.after, analysedFiles: report.analysedFiles ?? 0, durationMs: report.durationMs, builds, loadedServers: this.loaded.size },
      "built a server's index",
    );
    return library;
  }

  /** Keeps `library` as the most recently used, then drops the least recently used others while over budget. */
  private remember(guildId: string, library: ArticleLibrary): void {
    this.loaded.set(guildId, { library, bytes: library.memoryEstimate().estimate });
    let total = this.loadedBytes();
    for (const [id, entry] of this.loaded) {
      if (total <= this.budgetBytes) break;
      if (id === guildId) continue;
      this.loaded.delete(id);
      this.totals.dropped += 1;
      total -= entry.bytes;
      this.options.logger?.debug({ guildId: id, bytes: entry.bytes }, "dropped an idle server's index (over the memory budget)");
    }
  }
}

/** Refused: the article is one of the operator's shared ones, or not this server's. */
export function notThisServersReason(source: SourceInfo | undefined, id: string): string {
  return source?.shared === true
    ? `"${source.title || id}" is a shared article: it is answered in every server and only the bot's operator can remove it`
    : `no article of this server is named ${id}`;
}

/** What one server sees: the shared articles (marked `shared`) and its own, searched side by side. */
export class ServerLibrary implements Library {
  constructor(
    readonly guildId: string,
    private readonly shared: Library,
    private readonly own: ArticleLibrary,
    /** Follow-ups over this view's merged answers (one store for every server; keys are made per server here). */
    private readonly conversations: Conversations = new Conversations(),
  ) {}

  /**
   * A follow-up is scoped to the article of the previous answer as this server saw it (merged from both
   * indexes), never to what one index alone answered last; the conversation key is this server's own.
   */
  ask(question: string, options: LibraryAskOptions = {}): Answer {
    const { conversation, ...ask } = options;
    if (conversation === undefined) return this.askOnce(question, ask);
    return this.conversations.ask({ ask: (q, o) => this.askOnce(q, o) }, `${this.guildId}\u0000${conversation}`, question, ask);
  }

  private askOnce(question: string, options: AskOptions = {}): Answer {
    if (options.source !== undefined) return this.owner(options.source).ask(question, options);
    const top = options.top ?? DEFAULT_TOP;
    if (this.own.counts().sources === 0) return this.shared.ask(question, options);
    return mergeAnswers(question, [this.own.ask(question, options), this.shared.ask(question, options)], top);
  }

  summarize(options: SummaryOptions = {}): Summary[] {
    if (options.source !== undefined) return this.owner(options.source).summarize(options);
    return [...this.shared.summarize(options), ...this.own.summarize(options)];
  }

  /** The shared articles first (marked), then the server's own. */
  sources(): SourceInfo[] {
    return [...this.shared.sources().map((source) => ({ ...source, shared: true })), ...this.own.sources()];
  }

  /** The server's own articles only: what its moderators may remove. */
  ownSources(): SourceInfo[] {
    return this.own.sources();
  }

  /** Files in the server's own folder that the last load skipped, with their reasons. */
  ownSkipped(): SkippedFile[] {
    return this.own.skipped();
  }

  resolveSource(name: string): SourceLookup {
    return resolveSourceName(this.sources(), name);
  }

  suggestSources(query: string, limit = 25): SourceInfo[] {
    return rankSources(this.sources(), query).slice(0, Math.max(0, limit));
  }

  suggestOwnSources(query: string, limit = 25): SourceInfo[] {
    return rankSources(this.own.sources(), query).slice(0, Math.max(0, limit));
  }

  /** Re-reads the server's folder and the shared one; each swaps on its own, a failure keeps that set serving. */
  async reload(cause?: ChangeCause): Promise<ReloadReport> {
    const [own, shared] = await Promise.all([this.own.reload(cause), this.shared.reload(cause)]);
    const sum = (a: CorpusCounts, b: CorpusCounts): CorpusCounts => ({ sources: a.sources + b.sources, sentences: a.sentences + b.sentences });
    const errors = [own.ok ? undefined : `this server's articles: ${own.error}`, shared.ok ? undefined : `shared articles: ${shared.error}`].filter(
      (e): e is string => e !== undefined,
    );
    return {
      ok: errors.length === 0,
      before: sum(own.before, shared.before),
      after: sum(own.after, shared.after),
      skipped: [...shared.skipped, ...own.skipped],
      ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
      durationMs: Math.max(own.durationMs, shared.durationMs),
    };
  }

  counts(): CorpusCounts {
    const own = this.own.counts();
    const shared = this.shared.counts();
    return { sources: own.sources + shared.sources, sentences: own.sentences + shared.sentences };
  }

  addSource(source: NewSource): Promise<AddedSource> {
    return this.own.addSource(source);
  }

  addFromUrl(url: string, addedBy: SourceActor): Promise<AddedSource> {
    return this.own.addFromUrl(url, addedBy);
  }

  uploadProblem(file: UploadedFile): string | undefined {
    return this.own.uploadProblem(file);
  }

  addFromUpload(file: UploadedFile, addedBy: SourceActor): Promise<AddedSource> {
    return this.own.addFromUpload(file, addedBy);
  }

  /** Only the server's own articles; a shared one is refused with its reason (SourceChangeError), nothing changes. */
  removeSource(id: string, removedBy: SourceActor): Promise<SourceInfo> {
    if (!this.own.sources().some((source) => source.id === id)) {
      const shared = this.sources().find((source) => source.id === id && source.shared === true);
      if (shared === undefined) return Promise.reject(new UnknownSourceError(id));
      return Promise.reject(new SourceChangeError(notThisServersReason(shared, id)));
    }
    return this.own.removeSource(id, removedBy);
  }

  /** Changes to this server's own articles (the shared library has its own listeners). */
  onChange(listener: ChangeListener): () => void {
    return this.own.onChange(listener);
  }

  /** The library holding `id`: the server's own first (its moderators named it), then the shared. */
  private owner(id: string): Library {
    if (this.own.sources().some((source) => source.id === id)) return this.own;
    if (this.shared.sources().some((source) => source.id === id)) return this.shared;
    throw new UnknownSourceError(id);
  }
}

export type { ServerSettings };

/**
 * One library for every server, with the operator's moderator roles everywhere: a bot over one folder
 * (tests, and the bot as it was before per-server articles). Settings are kept in memory only.
 */
export function oneLibraryForEveryServer(library: Library, moderatorRoleIds: readonly string[] = []): ServerLibraryDirectory {
  const roles = new Map<string, string>();
  return {
    shared: library,
    forServer: () => Promise.resolve(library),
    moderatorRoleIds: (guildId) => Promise.resolve(roles.has(guildId) ? [roles.get(guildId) ?? ''] : moderatorRoleIds),
    moderatorRole: (guildId) => Promise.resolve(roles.get(guildId)),
    setModeratorRole: (guildId, roleId) => {
      if (roleId === undefined) roles.delete(guildId);
      else roles.set(guildId, roleId);
      return Promise.resolve();
    },
    markLeft: () => Promise.resolve(),
    markPresent: () => Promise.resolve(),
    forgetLeftServers: () => Promise.resolve([]),
  };
}
