// The front ends (console, CLI, Discord) take what they show from here, never from the engine itself.
export { UnknownSourceError } from '../engine/errors';
export type { Answer, Hit, SourceInfo, Summary } from '../engine/types';
import type { Answer, AskOptions, SkippedFile, SourceInfo, Summary, SummaryOptions } from '../engine/types';
import { FetchError } from './fetch-article';
import type { SourceFormat } from './formats/detect';
import { SourceFormatError } from './formats/errors';
import { SourceChangeError } from './folder-writer';
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
  /** Files parsed and analysed afresh (new or changed); the others came from the serving set or the analysis cache. */
  analysedFiles?: number;
  /**
   * Whether the set now served differs from the one before: a file added, removed or changed (by name and
   * content hash; a file whose hash is not known yet counts as changed). Undefined when the reload failed.
   */
  changed?: boolean;
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
  /**
   * For a fetched page: the address it was fetched from, after redirects. Then only the source whose url
   * is this address is replaced, whatever url the page claims for itself.
   */
  fetchedUrl?: string;
  addedBy: SourceActor;
}

/** The parts of an uploaded file (a Discord attachment) that adding it needs. */
export interface UploadedFile {
  name: string;
  /** Where to download it from. */
  url: string;
  /** Its size in bytes, as announced (checked again while downloading). */
  size: number;
}

/** What started a reload, for the log and for who else must hear of it (e.g. `{ trigger: 'watch', files }`). */
export interface ChangeCause {
  /** `start`, `/reload`, `watch` (the folder changed on disk), `peer` (another shard changed it), `console`… */
  trigger: string;
  [detail: string]: unknown;
}

/** What the library says after its set of articles was re-read, or changed by an add or a remove. */
export type LibraryChange =
  | { kind: 'reload'; report: ReloadReport; cause: ChangeCause }
  | { kind: 'add'; added: AddedSource; by: SourceActor; replacedFile?: string; trashedAs?: string }
  | { kind: 'remove'; removed: SourceInfo; by: SourceActor; trashedAs?: string };

export type ChangeListener = (change: LibraryChange) => void;

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
/** Asking through the Library: the engine's options, and the conversation the question belongs to. */
export interface LibraryAskOptions extends AskOptions {
  /**
   * A key for the conversation (a console session, a CLI run, a Discord channel or thread): a follow-up
   * whose words point at no article is asked of the previous answer's article (src/engine/conversation.ts).
   */
  conversation?: string;
}

export interface Library {
  ask(question: string, options?: LibraryAskOptions): Answer;
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
  /** The same among the articles this library may remove (a server's own, not the shared ones); default all. */
  suggestOwnSources?(query: string, limit?: number): SourceInfo[];
  /** Re-reads the sources; calls made before a reload starts share it (and its cause). Never throws. */
  reload(cause?: ChangeCause): Promise<ReloadReport>;
  counts(): CorpusCounts;
  /**
   * Saves an article into the sources folder and indexes it at once; one with the same url is updated.
   * On failure nothing changes. Throws SourceFormatError or SourceChangeError, each with a `reason`.
   */
  addSource(source: NewSource): Promise<AddedSource>;
  /** Fetches a web page (https:// is assumed when no scheme is given) and adds it as addSource does; also FetchError. */
  addFromUrl(url: string, addedBy: SourceActor): Promise<AddedSource>;
  /** Why an upload is refused before it is downloaded (its type or announced size), or undefined when it may be. */
  uploadProblem(file: UploadedFile): string | undefined;
  /** Downloads an uploaded file and adds it as addSource does; also FetchError. */
  addFromUpload(file: UploadedFile, addedBy: SourceActor): Promise<AddedSource>;
  /** Moves a source's file to `.trash/` and drops it from the index. Throws UnknownSourceError or SourceChangeError. */
  removeSource(id: string, removedBy: SourceActor): Promise<SourceInfo>;
  /** Calls `listener` after every reload (worked or not), add and remove; returns a function that stops it. */
  onChange(listener: ChangeListener): () => void;
  /** True for a file name the library itself just wrote or moved, so a folder watcher can ignore it. */
  isOwnChange?(fileName: string): boolean;
}


/**
 * The reason to show whoever asked when adding or removing failed because of the page, the file or the
 * folder (nothing changed then); undefined for anything else, which is a bug to log.
 */
export function problemReason(error: unknown): string | undefined {
  if (error instanceof FetchError || error instanceof SourceFormatError || error instanceof SourceChangeError) return error.reason;
  return undefined;
}

/**
 * Every server's library and settings: what the Discord bot serves. `shared` is the operator's set, answered
 * everywhere; `forServer` gives the view one server is answered from (shared plus its own).
 */
export interface ServerLibraryDirectory {
  readonly shared: Library;
  forServer(guildId: string): Promise<Library>;
  /** The role ids that make a member a moderator in that server (its own setting, else the operator's). */
  moderatorRoleIds(guildId: string): Promise<readonly string[]>;
  /** The server's own moderator role setting, if any. */
  moderatorRole(guildId: string): Promise<string | undefined>;
  /** Sets the server's moderator role, or clears it with undefined. */
  setModeratorRole(guildId: string, roleId: string | undefined): Promise<void>;
  /** The bot left a server / is in it again (for FORGET_LEFT_GUILDS_DAYS). */
  markLeft(guildId: string): Promise<void>;
  markPresent(guildId: string): Promise<void>;
  /** Deletes the folders of servers left more than `days` ago, among those `isMine` accepts; returns their ids. */
  forgetLeftServers(days: number, isMine?: (guildId: string) => boolean): Promise<string[]>;
}
