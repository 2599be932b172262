import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, isAbsolute } from 'node:path';
import type { SkippedFile, SourceDocument } from '../engine/types';
import { decodeSourceBytes, formatOf, type SourceFormat } from './formats/detect';
import { SourceFormatError } from './formats/errors';
import { extractHtmlArticle } from './formats/html';
import { markdownToText } from './formats/markdown';
import { overLimitReason } from './formats/size';
import { readSourceText, type ReadBudget } from './read-budget';
import { parseArticle, splitFrontMatter, type ArticleMetadata } from './parse';

export const DEFAULT_MAX_SOURCE_BYTES = 2 * 1024 * 1024;

export interface LoadOptions {
  maxSourceBytes?: number;
  /** How large articles are read off this thread, and for how long at most (read-budget.ts). */
  readBudget?: ReadBudget;
}

export interface LoadResult {
  documents: SourceDocument[];
  skipped: SkippedFile[];
}

/** The sources folder (or a single file) cannot be read at all: nothing to load, nothing to swap in. */
export class SourcesUnavailableError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`cannot read sources at ${path}: ${reason}`);
    this.name = 'SourcesUnavailableError';
  }
}

/**
 * Loads every article file in a folder (not recursing; dot-files and dot-folders such as `.trash`
 * are ignored), or one file. A file that cannot be used is skipped with its reason; the rest load.
 */
export async function loadSources(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new SourcesUnavailableError(path, describeFsError(error));
  });
  if (info.isFile()) {
    const loaded = await loadFileEntry(path, basename(path), options);
    return 'document' in loaded ? { documents: [loaded.document], skipped: [] } : { documents: [], skipped: [loaded.skipped] };
  }
  if (!info.isDirectory()) throw new SourcesUnavailableError(path, 'not a file or a folder');
  const folder = await realpath(path);
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    throw new SourcesUnavailableError(path, describeFsError(error));
  });
  const result: LoadResult = { documents: [], skipped: [] };
  for (const name of names.filter((entry) => !entry.startsWith('.')).sort()) {
    const loaded = await loadFolderEntry(folder, name, options);
    if (loaded === undefined) continue;
    if ('document' in loaded) result.documents.push(loaded.document);
    else result.skipped.push(loaded.skipped);
  }
  return result;
}

type Loaded = { document: SourceDocument } | { skipped: SkippedFile };

async function loadFolderEntry(folder: string, name: string, options: LoadOptions): Promise<Loaded | undefined> {
  const path = join(folder, name);
  const problem = await unsafeEntry(folder, path);
  if (problem !== undefined) return { skipped: { file: name, reason: problem } };
  return loadFileEntry(path, name, options);
}

/** Why a folder entry must not be read: a link leading outside the folder, or not a plain file. */
async function unsafeEntry(folder: string, path: string): Promise<string | undefined> {
  let link;
  try {
    link = await lstat(path);
  } catch (error) {
    // readdir has just listed it, so a missing entry was deleted during the load (as at stat or read
    // time), not "does not exist" (tests/sources/bad-files.test.ts).
    return skipReason(error);
  }
  if (link.isDirectory()) return 'a folder, not an article file';
  if (!link.isSymbolicLink()) return undefined;
  try {
    const target = await realpath(path);
    const inside = relative(folder, target);
    if (inside.startsWith('..') || isAbsolute(inside)) return 'a link to a file outside the sources folder';
    return undefined;
  } catch (error) {
    const fsError = error as NodeJS.ErrnoException;
    // The link is there but its target is not: say which of the two is missing.
    if (fsError.code === 'ENOENT') return 'a link to a file that does not exist';
    return describeFsError(fsError);
  }
}

async function loadFileEntry(path: string, name: string, options: LoadOptions): Promise<Loaded> {
  try {
    return { document: await loadSourceFile(path, name, options) };
  } catch (error) {
    return { skipped: { file: name, reason: skipReason(error) } };
  }
}

/** Why a file was skipped, in words, from what reading or parsing it threw. */
export function skipReason(error: unknown): string {
  if (error instanceof SourceFormatError) return error.reason;
  const fsError = error as NodeJS.ErrnoException;
  if (fsError.code === 'ENOENT') return 'it was removed while loading';
  if (typeof fsError.code === 'string') return describeFsError(fsError);
  return error instanceof Error ? error.message : String(error);
}

/** Reads and parses one article file; throws SourceFormatError (with a reason for people) when it can't. */
export async function loadSourceFile(path: string, id: string, options: LoadOptions = {}): Promise<SourceDocument> {
  const format = formatOf(id);
  if (format === undefined) throw new SourceFormatError('not a .txt, .md or .html file', id);
  const maxBytes = options.maxSourceBytes ?? DEFAULT_MAX_SOURCE_BYTES;
  const info = await stat(path);
  if (!info.isFile()) throw new SourceFormatError('not a regular file', id);
  if (info.size > maxBytes) throw new SourceFormatError(overLimitReason(info.size, maxBytes), id);
  const text = decodeSourceBytes(await readFile(path), id, maxBytes);
  // Large files are read on a worker within a time budget; one that exceeds it is skipped with that reason.
  return readSourceText(id, text, format, options.readBudget);
}

/** Turns decoded text of a known format into a document; throws SourceFormatError when no sentence is left. */
export function parseSourceText(id: string, text: string, format: SourceFormat): SourceDocument {
  const { body, metadata } = articleText(text, format);
  const document = parseArticle(id, body, metadata);
  if (document.sentences.length === 0) throw new SourceFormatError('no article text left after extraction', id);
  return document;
}

function articleText(text: string, format: SourceFormat): { body: string; metadata: ArticleMetadata } {
  if (format === 'html') {
    const { text: body, ...metadata } = extractHtmlArticle(text);
    return { body, metadata: definedOnly(metadata) };
  }
  const { metadata, body } = splitFrontMatter(text);
  return { body: format === 'markdown' ? markdownToText(body) : body, metadata };
}

function definedOnly(metadata: ArticleMetadata): ArticleMetadata {
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => typeof value === 'string' && value !== ''));
}

export function describeFsError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'not a folder';
    case 'ELOOP':
      return 'a symbolic link loop';
    default:
      return error.message;
  }
}
