/**
 * The sources folder as the bot changes it: safe file names, whole-file writes (a temp file in the
 * same folder, then a rename, so a reader never sees half a file) and removal by moving to `.trash/`.
 * It knows nothing of the index; ArticleLibrary decides when to call it.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export const TRASH_FOLDER = '.trash';
/** File-name stems stay readable in a listing and far below any file system's 255-byte limit. */
export const MAX_STEM_LENGTH = 60;
/** How long a file the bot wrote or moved counts as its own change (fs.watch reports it a little later). */
const OWN_CHANGE_WINDOW_MS = 5_000;

/** A change to the sources that could not be made; nothing was changed. `reason` is written for moderators. */
export class SourceChangeError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'SourceChangeError';
  }
}

/** The few file operations the store uses; tests replace some to make them fail on purpose. */
export interface StoreFileSystem {
  /** Creates `path` (failing if it exists) with `content`, flushed to disk. */
  createFile(path: string, content: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  isFolder(path: string): Promise<boolean>;
}

export const nodeFileSystem: StoreFileSystem = {
  async createFile(path, content) {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path),
  mkdir: async (path) => {
    await mkdir(path, { recursive: true });
  },
  readdir: (path) => readdir(path),
  isFolder: async (path) => (await stat(path)).isDirectory(),
};

export interface FolderWriterOptions {
  fileSystem?: Partial<StoreFileSystem>;
  /** Create the folder (and its parents) on the first change when it does not exist yet; default false. */
  createFolder?: boolean;
  now?: () => number;
}

export class FolderWriter {
  private readonly fs: StoreFileSystem;
  private readonly now: () => number;
  private readonly createFolder: boolean;
  /** File name → until when events about it are the bot's own. */
  private readonly ownChanges = new Map<string, number>();

  constructor(
    readonly folder: string,
    options: FolderWriterOptions = {},
  ) {
    this.fs = { ...nodeFileSystem, ...options.fileSystem };
    this.now = options.now ?? Date.now;
    this.createFolder = options.createFolder ?? false;
  }

  /** Throws SourceChangeError unless the sources path is a folder the bot can list. */
  async assertFolder(): Promise<void> {
    if (this.createFolder) {
      await this.fs.mkdir(this.folder).catch((error: unknown) => {
        throw new SourceChangeError(`cannot create the articles folder: ${describeFsError(error)}`, { cause: error });
      });
    }
    const isFolder = await this.fs.isFolder(this.folder).catch((error: unknown) => {
      throw new SourceChangeError(`cannot use the sources folder: ${describeFsError(error)}`, { cause: error });
    });
    if (!isFolder) {
      throw new SourceChangeError('SOURCES_DIR is a single file, not a folder, so sources cannot be added or removed');
    }
  }

  /** `<stem>.md`, or `<stem>-2.md`, `<stem>-3.md`… when the name is taken on disk or in `taken` (any case). */
  async freeName(stem: string, extension: string, taken: Iterable<string> = []): Promise<string> {
    const entries = await this.fs.readdir(this.folder).catch((error: unknown) => {
      throw new SourceChangeError(`cannot list the sources folder: ${describeFsError(error)}`, { cause: error });
    });
    return uniqueName(stem, extension, [...entries, ...taken]);
  }

  /**
   * Writes `name` whole: a temp file (a dot-file, which the loader and the watcher ignore) renamed over
   * it. On failure the temp file is removed and the folder is as it was.
   */
  async write(name: string, content: string): Promise<void> {
    assertPlainFileName(name);
    const temp = join(this.folder, `.tmp-${randomUUID()}`);
    try {
      await this.fs.createFile(temp, content);
      this.remember(name);
      await this.fs.rename(temp, join(this.folder, name));
    } catch (error) {
      await this.fs.unlink(temp).catch(() => undefined);
      throw new SourceChangeError(`could not save ${name}: ${describeFsError(error)}`, { cause: error });
    }
  }

  /** Deletes a file this store just wrote (undoing an add that could not be completed). */
  async discard(name: string): Promise<void> {
    assertPlainFileName(name);
    this.remember(name);
    await this.fs.unlink(join(this.folder, name));
  }

  /** Moves `name` into `.trash/` under a time-stamped name; returns that name. The file is left as it was on failure. */
  async trash(name: string): Promise<string> {
    assertPlainFileName(name);
    const trashFolder = join(this.folder, TRASH_FOLDER);
    try {
      await this.fs.mkdir(trashFolder);
      const stamp = new Date(this.now()).toISOString().replace(/[:.]/g, '-');
      const trashed = uniqueName(trashName(stamp, name), '', await this.fs.readdir(trashFolder));
      this.remember(name);
      await this.fs.rename(join(this.folder, name), join(trashFolder, trashed));
      return trashed;
    } catch (error) {
      throw new SourceChangeError(`could not move ${name} to ${TRASH_FOLDER}/: ${describeFsError(error)}`, { cause: error });
    }
  }

  isOwnChange(name: string): boolean {
    const until = this.ownChanges.get(name);
    return until !== undefined && until >= this.now();
  }

  private remember(name: string): void {
    const now = this.now();
    for (const [known, until] of this.ownChanges) if (until < now) this.ownChanges.delete(known);
    this.ownChanges.set(name, now + OWN_CHANGE_WINDOW_MS);
  }
}

// ---------------------------------------------------------------- names

/**
 * A file-name stem from any text: lower-case ASCII letters, digits and single hyphens, at most
 * MAX_STEM_LENGTH long. Nothing else survives, so no path separator, dot or control character can.
 */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '') // accents: "café" → "cafe"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= MAX_STEM_LENGTH) return slug;
  // Cut at a word when that keeps most of it: "…-late-night", not "…-late-night-ses".
  const cut = slug.slice(0, MAX_STEM_LENGTH + 1);
  const lastBreak = cut.lastIndexOf('-');
  return (lastBreak >= MAX_STEM_LENGTH / 2 ? cut.slice(0, lastBreak) : cut.slice(0, MAX_STEM_LENGTH)).replace(/-+$/, '');
}

/** "https://www.example.com/news/2024/budget.html?x=1" → "example-com-news-2024-budget". */
export function slugFromUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const path = parsed.pathname.replace(/\.[a-z0-9]{1,5}$/i, '');
    return slugify(`${parsed.hostname.replace(/^www\./, '')} ${path}`);
  } catch {
    return slugify(url);
  }
}

/** The stem of an uploaded file's name, ignoring any folders and the extension. */
export function slugFromFileName(fileName: string): string {
  const base = fileName.split(/[/\\]/).pop() ?? '';
  return slugify(base.replace(/\.[^.]*$/, ''));
}

/** Names Windows reserves for devices; avoided so a copied sources folder works there too. */
const DEVICE_NAME = /^(?:con|prn|aux|nul|com\d|lpt\d)$/;

/** The first candidate that makes a usable stem, else "article". */
export function chooseStem(candidates: readonly (string | undefined)[]): string {
  for (const candidate of candidates) if (candidate && !DEVICE_NAME.test(candidate)) return candidate;
  return 'article';
}

export function uniqueName(stem: string, extension: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((name) => name.toLowerCase()));
  for (let n = 1; ; n++) {
    const name = `${stem}${n === 1 ? '' : `-${n}`}${extension}`;
    if (!used.has(name.toLowerCase())) return name;
  }
}

/** A name directly inside the folder: no separators, not a dot-file, no control characters. */
export function isPlainFileName(name: string): boolean {
  return name !== '' && name.length <= 255 && !name.startsWith('.') && !/[/\\\p{Cc}]/u.test(name);
}

/** `<stamp>-<name>`, cut from the front of the name if needed: names are at most 255 bytes, and the end holds the extension. */
function trashName(stamp: string, name: string): string {
  let tail = [...name];
  while (Buffer.byteLength(`${stamp}-${tail.join('')}`) > 240) tail = tail.slice(1);
  return `${stamp}-${tail.join('')}`;
}

function assertPlainFileName(name: string): void {
  if (!isPlainFileName(name)) throw new SourceChangeError(`"${name.slice(0, 80)}" is not a file name the bot can change`);
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'ENOTDIR':
      return 'not a folder';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
