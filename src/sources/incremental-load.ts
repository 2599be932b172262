/**
 * Loads a folder of articles analysing only what is new. A file whose name and content hash match the
 * serving set or the disk cache takes its document and analysis from there; only new and changed
 * files are parsed and analysed. A file whose inode, size and times are those it had when it was
 * hashed (see `FileStamp`) is not even read again. The result is what a full load gives
 * (`loadSources` + `analyseDocuments`), skipped files and reasons included; when the index is patched
 * from the serving set or the cache, their term ids are kept (the answers are the same).
 *
 * Files are read with synchronous calls, one file per step: for thousands of small files that is
 * several times faster than promise-based reads, and the pauser (when given) lets the thread answer
 * questions between steps, so no step holds it longer than one file takes.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, relative, sep } from 'node:path';
import { combineAnalyses, type AnalysisPart, type EarlierSet } from '../engine/analysis-merge';
import { analysisSteps } from '../engine/sentence-index';
import { NO_PAUSE, runSliced, type Pauser } from '../engine/time-slice';
import type { SkippedFile, SourceDocument } from '../engine/types';
import { contentHash, STAMP_FIELDS, stampStillHolds, writeStamp, type AnalysedSet, type AnalysisCache } from './analysis-cache';
import { decodeSourceBytes, formatOf } from './formats/detect';
import { overLimitReason } from './formats/size';
import { readSourceText } from './read-budget';
import { DEFAULT_MAX_SOURCE_BYTES, describeFsError, skipReason, SourcesUnavailableError, type LoadOptions } from './loader';

/** Fresh documents are analysed in batches of about this many sentences (a few tens of milliseconds). */
const ANALYSIS_BATCH_SENTENCES = 1000;
/**
 * While a set is served, the disk cache is read once this many files (at least), or this share of the
 * served files, had to be analysed: the first few new or changed files are analysed, the rest looked up.
 */
const CACHE_MIN_MISSES = 16;
const CACHE_MISS_SHARE = 0.05;

export interface IncrementalLoadOptions extends LoadOptions {
  /** The set being served now: its unchanged files are not analysed again, and its index is patched when it has one. */
  previous?: AnalysedSet & Pick<EarlierSet, 'termId'>;
  /** The disk cache; undefined = none. */
  cache?: AnalysisCache;
  /** Lets other work run between steps; default: never pauses. */
  pauser?: Pauser;
}

export interface IncrementalLoad extends AnalysedSet {
  skipped: SkippedFile[];
  /** The real path of what was loaded: the disk cache's key. */
  source: string;
  /** Files whose analysis came from the serving set, from the disk cache, or was made now. */
  reused: number;
  fromCache: number;
  analysed: number;
  /** Files read and hashed (the others were known unchanged by their stamp). */
  read: number;
  /** The (name, hash) list the disk cache held when it was read (undefined: not read, or unusable). */
  cacheSignature?: string;
}

/** Where an earlier analysis of a file can be found. */
interface Known {
  set: AnalysedSet;
  doc: number;
}

type Entry = { name: string; path: string; info: Stats } | { name: string; skipped: string };

export async function loadIncrementally(path: string, options: IncrementalLoadOptions = {}): Promise<IncrementalLoad> {
  const pauser = options.pauser ?? NO_PAUSE;
  const maxBytes = options.maxSourceBytes ?? DEFAULT_MAX_SOURCE_BYTES;
  const { source, entries } = await listEntries(path, pauser);
  const previous = byName(options.previous);
  // While a set is served, the disk cache is read only once enough files are missing from it to be worth
  // it: reading it decodes every file it holds (0.4 s at 10,000 files), analysing one file takes about 1 ms.
  const cacheWorth = previous.size === 0 ? 0 : Math.max(CACHE_MIN_MISSES, Math.ceil(previous.size * CACHE_MISS_SHARE));
  let missed = 0;
  let cached: Map<string, Known> | undefined;
  let cachedSet: AnalysedSet | undefined;
  let cacheSignature: string | undefined;
  /** The disk cache's entry for a file: read (once) only when the serving set cannot help. */
  const stored = (name: string): Known | undefined => {
    if (options.cache === undefined || missed < cacheWorth) return undefined;
    if (cached === undefined) {
      cachedSet = options.cache.read(source);
      cached = byName(cachedSet);
      if (cachedSet !== undefined) cacheSignature = signatureOf(cachedSet);
    }
    return cached.get(name);
  };

  const parts: (AnalysisPart | SourceDocument)[] = [];
  const documents: SourceDocument[] = [];
  const hashes: string[] = [];
  const stamps: number[] = [];
  const skipped: SkippedFile[] = [];
  let reused = 0;
  let fromCache = 0;
  let read = 0;
  const keep = (document: SourceDocument, part: AnalysisPart | SourceDocument, hash: string, stamp: ArrayLike<number>) => {
    parts.push(part);
    documents.push(document);
    hashes.push(hash);
    for (let i = 0; i < STAMP_FIELDS; i++) stamps.push(stamp[i] ?? 0);
  };
  const keepKnown = (known: Known, hash: string, stamp: ArrayLike<number>) => {
    if (known.set === options.previous) reused++;
    else fromCache++;
    keep(known.set.documents[known.doc]!, { analysis: known.set.analysis, doc: known.doc }, hash, stamp);
  };
  for (const entry of entries) {
    // Awaited only when it pauses: an await of nothing still costs a turn, 10,000 times over.
    const pause = pauser.pause();
    if (pause !== undefined) await pause;
    if ('skipped' in entry) {
      skipped.push({ file: entry.name, reason: entry.skipped });
      continue;
    }
    const { name, info } = entry;
    const problem = sizeProblem(name, info, maxBytes);
    if (problem !== undefined) {
      skipped.push({ file: name, reason: problem });
      continue;
    }
    const served = previous.get(name);
    // Unchanged by its stamp: not read again. The cache's stamps are looked at only when nothing is served (a start).
    let unchanged = stampHolds(served, info) ? served : undefined;
    if (unchanged === undefined && cacheWorth === 0) {
      const fromDisk = stored(name);
      if (stampHolds(fromDisk, info)) unchanged = fromDisk;
    }
    if (unchanged !== undefined) {
      const at = unchanged.doc * STAMP_FIELDS;
      keepKnown(unchanged, unchanged.set.hashes[unchanged.doc]!, unchanged.set.stamps.subarray(at, at + STAMP_FIELDS));
      continue;
    }
    let bytes: Buffer;
    const readAtMs = Date.now();
    try {
      bytes = readFileSync(entry.path);
    } catch (error) {
      skipped.push({ file: name, reason: skipReason(error) });
      continue;
    }
    read++;
    const hash = contentHash(bytes);
    const stamp = new Float64Array(STAMP_FIELDS);
    writeStamp(stamp, 0, { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, readAtMs });
    if (served !== undefined && sameHash(served, hash)) {
      keepKnown(served, hash, stamp);
      continue;
    }
    const fromDisk = stored(name);
    if (fromDisk !== undefined && sameHash(fromDisk, hash)) {
      keepKnown(fromDisk, hash, stamp);
      continue;
    }
    missed++;
    try {
      // Large files are read on a worker within a time budget; one that exceeds it is skipped with that reason.
      const document = await readSourceText(name, decodeSourceBytes(bytes, name, maxBytes), formatOf(name)!, options.readBudget);
      keep(document, document, hash, stamp);
    } catch (error) {
      skipped.push({ file: name, reason: skipReason(error) });
    }
  }
  const analysed = documents.length - reused - fromCache;
  // The index comes as it is, or patched, from the serving set or the cache when they hold most files.
  const { analysis, index } = await runSliced(combineAnalyses(documents, await analyseFresh(parts, pauser), [options.previous, cachedSet]), pauser);
  const result: IncrementalLoad = { documents, hashes, stamps: Float64Array.from(stamps), analysis, skipped, source, reused, fromCache, analysed, read };
  if (cacheSignature !== undefined) result.cacheSignature = cacheSignature;
  if (index !== undefined) result.index = index;
  return result;
}

function stampHolds(known: Known | undefined, info: Stats): known is Known {
  return known !== undefined && stampStillHolds(known.set.stamps, known.doc, info);
}

function sameHash(known: Known, hash: string): boolean {
  return known.set.hashes[known.doc] === hash;
}

/** The loader's checks before it reads a file, in its order: the extension, a plain file, the size. */
function sizeProblem(name: string, info: Stats, maxBytes: number): string | undefined {
  if (formatOf(name) === undefined) return 'not a .txt, .md or .html file';
  if (!info.isFile()) return 'not a regular file';
  if (info.size > maxBytes) return overLimitReason(info.size, maxBytes);
  return undefined;
}

/** Replaces the fresh documents among `parts` by their analysis, made in batches with pauses between. */
async function analyseFresh(parts: (AnalysisPart | SourceDocument)[], pauser: Pauser): Promise<AnalysisPart[]> {
  const result: AnalysisPart[] = [];
  let batch: { slot: number; document: SourceDocument }[] = [];
  let batchSentences = 0;
  const flush = async () => {
    // In steps inside the batch too: one large article is a batch of its own, analysed a few hundred sentences at a time.
    const analysis = await runSliced(analysisSteps(batch.map(({ document }) => document)), pauser);
    batch.forEach(({ slot }, doc) => {
      result[slot] = { analysis, doc };
    });
    batch = [];
    batchSentences = 0;
    await pauser.pause();
  };
  for (let slot = 0; slot < parts.length; slot++) {
    const part = parts[slot]!;
    if ('analysis' in part) {
      result[slot] = part;
      continue;
    }
    batch.push({ slot, document: part });
    batchSentences += part.sentences.length;
    if (batchSentences >= ANALYSIS_BATCH_SENTENCES) await flush();
  }
  if (batch.length > 0) await flush();
  return result;
}

/** The (name, hash) list of a set, to tell whether the disk cache holds exactly it. */
export function signatureOf(set: Pick<AnalysedSet, 'documents' | 'hashes'>): string {
  return set.documents.map((document, doc) => `${document.id}\0${set.hashes[doc] ?? ''}`).join('\n');
}

function byName(set: AnalysedSet | undefined): Map<string, Known> {
  const found = new Map<string, Known>();
  set?.documents.forEach((document, doc) => {
    if (set.hashes[doc] !== '') found.set(document.id, { set, doc });
  });
  return found;
}

/** The article entries of a folder (or the one file), with their stat, or skipped with why. */
async function listEntries(path: string, pauser: Pauser): Promise<{ source: string; entries: Entry[] }> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new SourcesUnavailableError(path, describeFsError(error));
  });
  if (info.isFile()) return { source: realpathSync(path), entries: [{ name: basename(path), path, info }] };
  if (!info.isDirectory()) throw new SourcesUnavailableError(path, 'not a file or a folder');
  let folder: string;
  let names: string[];
  try {
    folder = realpathSync(path);
    names = readdirSync(folder);
  } catch (error) {
    throw new SourcesUnavailableError(path, describeFsError(error as NodeJS.ErrnoException));
  }
  const entries: Entry[] = [];
  for (const name of names.filter((entry) => !entry.startsWith('.')).sort()) {
    entries.push(folderEntry(folder, name));
    const pause = pauser.pause();
    if (pause !== undefined) await pause;
  }
  return { source: folder, entries };
}

/** As the loader's check: a link leading outside the folder, or not a plain file; else its stat. */
function folderEntry(folder: string, name: string): Entry {
  // A name from readdir has no separator: plain concatenation is what join would give, without its normalising.
  const path = folder.endsWith(sep) ? folder + name : folder + sep + name;
  let link: Stats;
  try {
    link = lstatSync(path);
  } catch (error) {
    return { name, skipped: skipReason(error) };
  }
  if (link.isDirectory()) return { name, skipped: 'a folder, not an article file' };
  if (!link.isSymbolicLink()) return { name, path, info: link };
  try {
    const inside = relative(folder, realpathSync(path));
    if (inside.startsWith('..') || isAbsolute(inside)) return { name, skipped: 'a link to a file outside the sources folder' };
  } catch (error) {
    const fsError = error as NodeJS.ErrnoException;
    if (fsError.code === 'ENOENT') return { name, skipped: 'a link to a file that does not exist' };
    return { name, skipped: describeFsError(fsError) };
  }
  try {
    return { name, path, info: statSync(path) };
  } catch (error) {
    return { name, skipped: skipReason(error) };
  }
}

