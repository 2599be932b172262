/**
 * The persisted analysis cache (DATA_DIR/cache/): for a folder of articles, every file's parsed
 * document and token analysis, each keyed by the file's name and content hash, under the version of
 * the analyser that made them. One file per folder, in a compact binary form (typed arrays and one
 * text block), so that a start reads one file instead of parsing and analysing thousands.
 *
 * Safe by construction: a file that is truncated, corrupt (CRC-32 over all of it, then every count and
 * id checked), from another analyser or format version or for another folder is ignored with one
 * warning line, and rebuilt; an entry whose file changed is simply not used. Writes go to a temporary
 * file that is renamed over the old one, so readers (another process: the CLI while the bot runs,
 * another shard) see the old file or the new one, never half of one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { AnalysedDocuments, BuiltIndex } from '../engine/sentence-index';
import type { SourceDocument } from '../engine/types';
import { PACKAGE_ROOT } from '../runtime-files';

/** Bump when the layout of a cache file changes (2: the built index is kept too). */
const FORMAT_VERSION = 2;
const MAGIC = Buffer.from('QACACHE\n', 'latin1');
const CACHE_EXTENSION = '.bin';
/** Temporary files of a writer that died are removed after this long. */
const STALE_TEMP_MS = 10 * 60_000;
/** Strings stored per document before its sentences: name, content hash, title, url, author, published. */
const FIELDS_PER_DOCUMENT = 6;
/** The text block is written in pieces of about this many characters, so no single step is long. */
const TEXT_CHUNK_CHARS = 1 << 20;

/** The modules whose code decides what a file's analysis is: any change to them is a new analyser. */
const ANALYSER_SOURCES = [
  'src/text',
  'src/sources/formats',
  'src/sources/parse.ts',
  'src/sources/loader.ts',
  'src/engine/answer-type.ts',
  'src/engine/context.ts',
  'src/engine/sentence-index.ts',
];

/** The cache folder of a configuration: DATA_DIR/cache. */
export function analysisCacheDir(config: { dataDir?: string }): string {
  return join(config.dataDir ?? 'var', 'cache');
}

/** The cache a configuration asks for, or undefined when INDEX_CACHE=false. */
export function openAnalysisCache(config: { dataDir?: string; indexCache?: boolean }, onWarning: (message: string) => void): AnalysisCache | undefined {
  return config.indexCache === false ? undefined : new AnalysisCache({ dir: analysisCacheDir(config), onWarning });
}

/** A folder's documents with their content hashes and their analysis (term ids into `analysis.terms`). */
export interface AnalysedSet {
  documents: SourceDocument[];
  /** Content hash (hex SHA-1 of the file's bytes) of each document's file; '' when not known. */
  hashes: string[];
  /** What each file looked like when it was hashed: `STAMP_FIELDS` numbers per document (see `FileStamp`). */
  stamps: Float64Array;
  analysis: AnalysedDocuments;
  /**
   * The index built from exactly `analysis` and `documents` (postings and title terms), when known: a
   * start whose files all match the cache then builds nothing (it was most of a warm start's time).
   */
  index?: BuiltIndex;
}

/**
 * A file's inode, size, modification and change times, and when it was read and hashed. When all four
 * are the same now and the file had last changed well before it was read, it still holds the bytes
 * that were hashed (its change time moves on every write, rename or chmod and cannot be set back), so
 * it need not be read again: how a reload of 10,000 files costs 10,000 `lstat`s, not 10,000 reads.
 */
export interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  readAtMs: number;
}

export const STAMP_FIELDS = 5;
/** A file changed this close before it was read may have changed again within the clock's resolution. */
const SETTLED_MS = 2000;

export function writeStamp(stamps: Float64Array, doc: number, stamp: FileStamp): void {
  stamps.set([stamp.ino, stamp.size, stamp.mtimeMs, stamp.ctimeMs, stamp.readAtMs], doc * STAMP_FIELDS);
}

/** Whether document `doc`'s file is, by its stamp, still exactly the file that was hashed. */
export function stampStillHolds(stamps: Float64Array, doc: number, now: Pick<FileStamp, 'ino' | 'size' | 'mtimeMs' | 'ctimeMs'>): boolean {
  const at = doc * STAMP_FIELDS;
  const readAtMs = stamps[at + 4]!;
  return (
    readAtMs > 0 &&
    stamps[at] === now.ino &&
    stamps[at + 1] === now.size &&
    stamps[at + 2] === now.mtimeMs &&
    stamps[at + 3] === now.ctimeMs &&
    now.ctimeMs < readAtMs - SETTLED_MS &&
    now.mtimeMs < readAtMs - SETTLED_MS
  );
}

export interface CacheFileStats {
  file: string;
  /** The folder (or file) of articles it holds. */
  source: string;
  bytes: number;
  documents: number;
  sentences: number;
  written: Date;
  /** Why it will not be used, when it will not. */
  problem?: string;
}

export interface AnalysisCacheOptions {
  /** The cache folder, e.g. `var/cache`. */
  dir: string;
  /** Called with one line when a cache file is ignored or cannot be written. */
  onWarning?: (message: string) => void;
}

interface Header {
  analyser: string;
  source: string;
  documents: number;
  strings: number;
  sentences: number;
  tokens: number;
  terms: number;
  /** Strings of only Latin-1 characters are stored one byte a character (read back at memory speed)... */
  latin1Bytes: number;
  /** ...the others as UTF-16, which also keeps any lone surrogate exactly. */
  utf16Bytes: number;
  /** The built index: its postings, the distinct terms of the titles, and the (term, document) pairs they make; all 0 when it is not kept. */
  postings: number;
  titleTerms: number;
  titleDocuments: number;
}

const enum StringKind {
  Absent = 0,
  Latin1 = 1,
  Utf16 = 2,
}

/** Thrown inside the reader for a file that must not be used; the message is the reason. */
class BadCacheFile extends Error {}

export class AnalysisCache {
  readonly dir: string;
  private readonly onWarning: (message: string) => void;
  private readonly writes = new Map<string, Promise<void>>();

  constructor(options: AnalysisCacheOptions) {
    this.dir = options.dir;
    this.onWarning = options.onWarning ?? (() => undefined);
  }

  /** The cache file of a folder of articles (by its real path). */
  fileFor(source: string): string {
    return join(this.dir, `${createHash('sha1').update(source).digest('hex').slice(0, 20)}${CACHE_EXTENSION}`);
  }

  /** The cached set of `source` (a real path), or undefined when there is none or it cannot be used (warned). */
  read(source: string): AnalysedSet | undefined {
    const file = this.fileFor(source);
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.onWarning(`analysis cache ${file} cannot be read (${(error as Error).message}); rebuilding it`);
      return undefined;
    }
    try {
      return readCacheFile(fd, source);
    } catch (error) {
      if (error instanceof BadCacheFile) this.onWarning(`analysis cache ${file} ignored (${error.message}); rebuilding it`);
      else if (typeof (error as NodeJS.ErrnoException).code === 'string') this.onWarning(`analysis cache ${file} cannot be read (${(error as Error).message}); rebuilding it`);
      else throw error;
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Writes the set of `source` atomically, in steps that never hold the thread long. Writes for one
   * folder run one at a time; a failure is warned about, never thrown (the cache is only a cache).
   */
  write(source: string, set: AnalysedSet): Promise<void> {
    const file = this.fileFor(source);
    const previous = this.writes.get(file) ?? Promise.resolve();
    const next = previous.then(() => this.writeNow(file, source, set));
    this.writes.set(file, next);
    void next.finally(() => {
      if (this.writes.get(file) === next) this.writes.delete(file);
    });
    return next;
  }

  private async writeNow(file: string, source: string, set: AnalysedSet): Promise<void> {
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      removeStaleTemps(this.dir);
      const handle = await open(temp, 'w');
      try {
        let crc = 0;
        for (const chunk of encodeCacheFile(set, source)) {
          if (chunk === null) {
            await new Promise((resolve) => setImmediate(resolve));
            continue;
          }
          // zlib.crc32 of an empty Buffer over an empty ArrayBuffer returns 0, not the running value
          // (Node 20), which would make the file's own checksum wrong: empty chunks add nothing anyway.
          if (chunk.length === 0) continue;
          crc = crc32(chunk, crc);
          await handle.write(chunk);
        }
        const trailer = Buffer.alloc(4);
        trailer.writeUInt32LE(crc >>> 0);
        await handle.write(trailer);
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      this.onWarning(`analysis cache ${file} could not be written (${(error as Error).message}); answers are not affected`);
    }
  }

  /** Resolves when every write started so far has finished. */
  async settled(): Promise<void> {
    while (this.writes.size > 0) await Promise.all(this.writes.values());
  }

  stats(): CacheFileStats[] {
    return this.cacheFiles().map((file) => {
      const path = join(this.dir, file);
      const info = statSync(path);
      const base = { file: path, bytes: info.size, written: info.mtime };
      try {
        const fd = openSync(path, 'r');
        let header: Header;
        try {
          ({ header } = readHeader(fd, fstatSync(fd).size));
        } finally {
          closeSync(fd);
        }
        return { ...base, source: header.source, documents: header.documents, sentences: header.sentences };
      } catch (error) {
        if (!(error instanceof BadCacheFile)) throw error;
        return { ...base, source: '?', documents: 0, sentences: 0, problem: error.message };
      }
    });
  }

  /** Removes every cache file (and leftover temporary file); returns how many cache files there were. */
  clear(): number {
    const files = this.cacheFiles();
    if (!existsSync(this.dir)) return 0;
    for (const name of readdirSync(this.dir)) {
      if (name.endsWith(CACHE_EXTENSION) || name.endsWith('.tmp')) rmSync(join(this.dir, name), { force: true });
    }
    return files.length;
  }

  private cacheFiles(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).filter((name) => name.endsWith(CACHE_EXTENSION)).sort();
  }
}

function removeStaleTemps(dir: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.tmp')) continue;
    const path = join(dir, name);
    try {
      if (now - statSync(path).mtimeMs > STALE_TEMP_MS) rmSync(path, { force: true });
    } catch {
      // Another process renamed or removed it meanwhile.
    }
  }
}

/** The content hash a cache entry is keyed by. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

let analyserVersion: string | undefined;

/**
 * The analyser's version: a hash of the code that turns a file into sentences and terms, so that a
 * change to any of it (by anyone) makes every cached analysis stale without anybody bumping a number.
 */
export function currentAnalyserVersion(): string {
  analyserVersion ??= computeAnalyserVersion();
  return analyserVersion;
}

function computeAnalyserVersion(): string {
  const root = PACKAGE_ROOT;
  const hash = createHash('sha1').update(`format ${FORMAT_VERSION}\n`);
  for (const source of ANALYSER_SOURCES) {
    const path = join(root, source);
    let files: string[];
    try {
      files = statSync(path).isDirectory() ? readdirSync(path).filter((name) => name.endsWith('.ts')).sort().map((name) => join(path, name)) : [path];
    } catch {
      // Installed without its sources: the package version stands for the code.
      files = [join(root, 'package.json')];
    }
    for (const file of files) hash.update(file.slice(root.length)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}


// --- encoding -------------------------------------------------------------------------------

const BEYOND_LATIN1 = /[\u0100-\uffff]/;

/** Every string of the file in order: per document its fields and sentences, then the terms. */
function* stringsOf(set: AnalysedSet): Generator<string | undefined> {
  for (let doc = 0; doc < set.documents.length; doc++) {
    const document = set.documents[doc]!;
    yield document.id;
    yield set.hashes[doc];
    yield document.title;
    yield document.url;
    yield document.author;
    yield document.published;
    yield* document.sentences;
  }
  yield* set.analysis.terms;
  if (set.index !== undefined) yield* set.index.titles.keys();
}

/** Joins strings into pieces of about TEXT_CHUNK_CHARS characters, each encoded. */
class TextBlock {
  readonly chunks: Buffer[] = [];
  bytes = 0;
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(private readonly encoding: 'latin1' | 'utf16le') {}

  /** Adds a string; true when a piece was encoded (a good moment to pause). */
  add(text: string): boolean {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars < TEXT_CHUNK_CHARS) return false;
    this.flush();
    return true;
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending.join(''), this.encoding);
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    this.pending = [];
    this.pendingChars = 0;
  }
}

/** The file's bytes in pieces; `null` marks a point where the writer should let other work run. */
function* encodeCacheFile(set: AnalysedSet, source: string): Generator<Buffer | null, void, void> {
  const { documents, analysis, index } = set;
  const sentences = analysis.sentenceDoc.length;
  const titles = indexTitleArrays(index);
  const stringCount = documents.length * FIELDS_PER_DOCUMENT + sentences + analysis.terms.length + titles.terms;
  const lengths = new Int32Array(stringCount);
  const kinds = new Uint8Array(stringCount);
  const latin1 = new TextBlock('latin1');
  const utf16 = new TextBlock('utf16le');
  let i = 0;
  for (const text of stringsOf(set)) {
    const at = i++;
    if (text === undefined) continue;
    lengths[at] = text.length;
    const wide = BEYOND_LATIN1.test(text);
    kinds[at] = wide ? StringKind.Utf16 : StringKind.Latin1;
    if ((wide ? utf16 : latin1).add(text)) yield null;
  }
  latin1.flush();
  utf16.flush();
  yield null;
  const header: Header = {
    analyser: currentAnalyserVersion(),
    source,
    documents: documents.length,
    strings: stringCount,
    sentences,
    tokens: analysis.tokens.length,
    terms: analysis.terms.length,
    latin1Bytes: latin1.bytes,
    utf16Bytes: utf16.bytes,
    postings: index?.postings.sentence.length ?? 0,
    titleTerms: titles.terms,
    titleDocuments: titles.documents.length,
  };
  const paragraphs = new Int32Array(sentences);
  const sentenceCounts = new Int32Array(documents.length);
  let s = 0;
  for (let doc = 0; doc < documents.length; doc++) {
    const document = documents[doc]!;
    sentenceCounts[doc] = document.sentences.length;
    for (const paragraph of document.paragraphs) paragraphs[s++] = paragraph;
  }
  yield headerBytes(header);
  const stamps = set.stamps.length === documents.length * STAMP_FIELDS ? set.stamps : new Float64Array(documents.length * STAMP_FIELDS);
  const arrays: ArrayBufferView[] = [stamps, lengths, kinds, sentenceCounts, paragraphs, analysis.tokenStart, analysis.tokens, analysis.features, analysis.leansBack];
  if (index !== undefined && holdsIndex(header)) {
    const { postings } = index;
    arrays.push(postings.start, postings.sentence, postings.frequency, postings.documents, titles.start, titles.documents);
  }
  for (const array of arrays) yield padded(Buffer.from(array.buffer, array.byteOffset, array.byteLength));
  yield* latin1.chunks;
  yield Buffer.alloc((8 - (latin1.bytes % 8)) % 8);
  yield* utf16.chunks;
}

/** The title map as arrays: term t's documents are documents[start[t] .. start[t + 1]). */
function indexTitleArrays(index: BuiltIndex | undefined): { terms: number; start: Int32Array; documents: Int32Array } {
  if (index === undefined) return { terms: 0, start: new Int32Array(0), documents: new Int32Array(0) };
  const start = new Int32Array(index.titles.size + 1);
  let total = 0;
  let t = 0;
  for (const list of index.titles.values()) {
    total += list.length;
    start[++t] = total;
  }
  const documents = new Int32Array(total);
  let at = 0;
  for (const list of index.titles.values()) for (const doc of list) documents[at++] = doc;
  return { terms: index.titles.size, start, documents };
}

function headerBytes(header: Header): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const fixed = Buffer.alloc(16);
  MAGIC.copy(fixed, 0);
  fixed.writeUInt32LE(FORMAT_VERSION, 8);
  fixed.writeUInt32LE(json.length, 12);
  return padded(Buffer.concat([fixed, json]));
}

function padded(bytes: Buffer): Buffer {
  const extra = (8 - (bytes.length % 8)) % 8;
  return extra === 0 ? bytes : Buffer.concat([bytes, Buffer.alloc(extra)]);
}

// --- decoding -------------------------------------------------------------------------------

/** The fixed 16 bytes (magic, format, header length) and the JSON header after them, checked. */
function readHeader(fd: number, size: number): { header: Header; bodyStart: number } {
  if (size < 20) throw new BadCacheFile('truncated');
  const fixed = readRegion(fd, 0, 16);
  if (!fixed.subarray(0, 8).equals(MAGIC)) throw new BadCacheFile('not an analysis cache file');
  const format = fixed.readUInt32LE(8);
  if (format !== FORMAT_VERSION) throw new BadCacheFile(`format version ${format}, this bot reads ${FORMAT_VERSION}`);
  const jsonLength = fixed.readUInt32LE(12);
  if (16 + jsonLength > size) throw new BadCacheFile('truncated');
  let header: Header;
  try {
    header = JSON.parse(readRegion(fd, 16, jsonLength).toString('utf8')) as Header;
  } catch {
    throw new BadCacheFile('corrupt header');
  }
  const counts = [
    header.documents, header.strings, header.sentences, header.tokens, header.terms, header.latin1Bytes, header.utf16Bytes,
    header.postings, header.titleTerms, header.titleDocuments,
  ];
  if (!counts.every((n) => Number.isSafeInteger(n) && n >= 0) || typeof header.analyser !== 'string' || typeof header.source !== 'string') {
    throw new BadCacheFile('corrupt header');
  }
  return { header, bodyStart: align8(16 + jsonLength) };
}

/**
 * `length` bytes of the file from `position`, in a buffer of their own (offset 0 in its memory, so typed
 * arrays over it are aligned), not zeroed first: every byte is read into it, or it is not used.
 */
function readRegion(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.allocUnsafeSlow(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, bytes, done, length - done, position + done);
    if (read === 0) throw new BadCacheFile('truncated');
    done += read;
  }
  return bytes;
}

function align8(n: number): number {
  return n + ((8 - (n % 8)) % 8);
}

/**
 * Whether a file's body carries the index arrays: the writer and the reader must agree, and an index
 * with no postings and no title terms (a folder whose files hold no terms) is not worth keeping.
 */
function holdsIndex(header: Pick<Header, 'postings' | 'titleTerms'>): boolean {
  return header.postings > 0 || header.titleTerms > 0;
}

/** Where each array of a file's body starts, from its header's counts (each array padded to 8 bytes). */
function bodyLayout(header: Header, bodyStart: number) {
  const { documents, strings, sentences, tokens, terms, postings, titleTerms, titleDocuments } = header;
  let offset = bodyStart;
  const next = (length: number, width: number) => {
    const at = offset;
    offset = align8(offset + length * width);
    return { at, length };
  };
  const stamps = next(documents * STAMP_FIELDS, 8);
  const lengths = next(strings, 4);
  const kinds = next(strings, 1);
  const sentenceCounts = next(documents, 4);
  const paragraphs = next(sentences, 4);
  // From here on the arrays are kept by the analysis and the index; the ones before are read once.
  const keptStart = offset;
  const tokenStart = next(sentences + 1, 4);
  const tokenIds = next(tokens, 4);
  const features = next(sentences, 1);
  const leansBack = next(sentences, 1);
  const index = holdsIndex(header)
    ? {
        postingStart: next(terms + 1, 4),
        postingSentence: next(postings, 4),
        postingFrequency: next(postings, 2),
        termDocuments: next(terms, 4),
        titleStart: next(titleTerms + 1, 4),
        titleDocuments: next(titleDocuments, 4),
      }
    : undefined;
  const textStart = offset;
  const utf16Start = align8(textStart + header.latin1Bytes);
  const end = utf16Start + header.utf16Bytes + 4;
  return { stamps, lengths, kinds, sentenceCounts, paragraphs, keptStart, tokenStart, tokenIds, features, leansBack, index, textStart, utf16Start, end };
}

/**
 * Reads the cache file open at `fd` for `source`; throws BadCacheFile saying why it cannot be used.
 * The arrays the analysis and the index keep are views into one buffer read straight from the file (no
 * copy); the text and the arrays needed only here are read into buffers of their own, dropped after.
 */
function readCacheFile(fd: number, source: string): AnalysedSet {
  const size = fstatSync(fd).size;
  const { header, bodyStart } = readHeader(fd, size);
  if (header.analyser !== currentAnalyserVersion()) throw new BadCacheFile('made by another version of the analyser');
  if (header.source !== source) throw new BadCacheFile(`it holds ${header.source}, not ${source}`);
  const { documents: docCount, strings, sentences, terms, latin1Bytes, utf16Bytes, titleTerms } = header;
  if (strings !== docCount * FIELDS_PER_DOCUMENT + sentences + terms + titleTerms) throw new BadCacheFile('corrupt header');
  const layout = bodyLayout(header, bodyStart);
  if (layout.end > size) throw new BadCacheFile('truncated');
  if (layout.end !== size || utf16Bytes % 2 !== 0) throw new BadCacheFile('corrupt text');
  const head = readRegion(fd, 0, bodyStart);
  const once = readRegion(fd, bodyStart, layout.keptStart - bodyStart);
  const kept = readRegion(fd, layout.keptStart, layout.textStart - layout.keptStart);
  const text = readRegion(fd, layout.textStart, size - layout.textStart);
  let crc = 0;
  // Node 20's zlib.crc32 of an empty buffer returns 0, not the running value: empty parts add nothing anyway.
  for (const part of [head, once, kept, text.subarray(0, text.length - 4)]) if (part.length > 0) crc = crc32(part, crc);
  if (crc >>> 0 !== text.readUInt32LE(text.length - 4)) throw new BadCacheFile('checksum mismatch');
  const view = <T>(make: (buffer: ArrayBufferLike, byteOffset: number, length: number) => T, bytes: Buffer, base: number, part: { at: number; length: number }): T =>
    make(bytes.buffer, bytes.byteOffset + part.at - base, part.length);
  const onceView = <T>(make: (buffer: ArrayBufferLike, byteOffset: number, length: number) => T, part: { at: number; length: number }) => view(make, once, bodyStart, part);
  const keptView = <T>(make: (buffer: ArrayBufferLike, byteOffset: number, length: number) => T, part: { at: number; length: number }) => view(make, kept, layout.keptStart, part);
  const int32 = (buffer: ArrayBufferLike, byteOffset: number, length: number) => new Int32Array(buffer, byteOffset, length);
  const uint8 = (buffer: ArrayBufferLike, byteOffset: number, length: number) => new Uint8Array(buffer, byteOffset, length);
  const arrays: DecodedArrays = {
    // The stamps are copied: they are few, and the buffer they are read in is dropped.
    stamps: onceView((buffer, byteOffset, length) => new Float64Array(buffer, byteOffset, length), layout.stamps).slice(),
    lengths: onceView(int32, layout.lengths),
    kinds: onceView(uint8, layout.kinds),
    sentenceCounts: onceView(int32, layout.sentenceCounts),
    paragraphs: onceView(int32, layout.paragraphs),
    tokenStart: keptView(int32, layout.tokenStart),
    tokenIds: keptView(int32, layout.tokenIds),
    features: keptView(uint8, layout.features),
    leansBack: keptView(uint8, layout.leansBack),
  };
  const stored = layout.index;
  const index: IndexArrays | undefined =
    stored === undefined
      ? undefined
      : {
          postingStart: keptView(int32, stored.postingStart),
          postingSentence: keptView(int32, stored.postingSentence),
          postingFrequency: keptView((buffer, byteOffset, length) => new Uint16Array(buffer, byteOffset, length), stored.postingFrequency),
          termDocuments: keptView(int32, stored.termDocuments),
          titleStart: keptView(int32, stored.titleStart),
          titleDocuments: keptView(int32, stored.titleDocuments),
        };
  const utf16At = layout.utf16Start - layout.textStart;
  const texts: [string, string, string] = ['', text.toString('latin1', 0, latin1Bytes), text.toString('utf16le', utf16At, utf16At + utf16Bytes)];
  checkArrays(arrays, terms, sentences, texts);
  if (index !== undefined) checkIndex(index, header);
  return buildSet(header, texts, arrays, index);
}

/** The built index as stored. */
interface IndexArrays {
  postingStart: Int32Array;
  postingSentence: Int32Array;
  postingFrequency: Uint16Array;
  termDocuments: Int32Array;
  titleStart: Int32Array;
  titleDocuments: Int32Array;
}

/**
 * Every range within its array, every sentence and document id in range, each term's sentences ascending.
 * (Indexed loops throughout: these run once, before the JIT has warmed up, where `for…of` over a typed
 * array is several times slower.)
 */
function checkIndex(index: IndexArrays, header: Header): void {
  const { postingStart, postingSentence, postingFrequency, termDocuments, titleStart, titleDocuments } = index;
  if (!ascendingRanges(postingStart, postingSentence.length) || !ascendingRanges(titleStart, titleDocuments.length)) throw new BadCacheFile('corrupt index ranges');
  const sentences = header.sentences;
  const documents = header.documents;
  let k = 0;
  for (let term = 0; term < header.terms; term++) {
    const end = postingStart[term + 1]!;
    let previous = -1;
    for (; k < end; k++) {
      const sentence = postingSentence[k]!;
      if (sentence <= previous || sentence >= sentences || postingFrequency[k] === 0) throw new BadCacheFile('corrupt postings');
      previous = sentence;
    }
    const holding = termDocuments[term]!;
    if (holding < 0 || holding > documents) throw new BadCacheFile('corrupt postings');
  }
  for (let i = 0; i < titleDocuments.length; i++) {
    const doc = titleDocuments[i]!;
    if (doc < 0 || doc >= documents) throw new BadCacheFile('corrupt title index');
  }
}

/** Whether `start` begins at 0, never goes down and ends at `total`. */
function ascendingRanges(start: Int32Array, total: number): boolean {
  if (start[0] !== 0 || start[start.length - 1] !== total) return false;
  for (let i = 1; i < start.length; i++) if (start[i]! < start[i - 1]!) return false;
  return true;
}

function checkArrays(arrays: DecodedArrays, terms: number, sentences: number, texts: [string, string, string]): void {
  const { lengths, kinds, sentenceCounts, tokenStart, tokenIds } = arrays;
  let latin1Chars = 0;
  let utf16Chars = 0;
  for (let i = 0; i < lengths.length; i++) {
    const kind = kinds[i]!;
    const length = lengths[i]!;
    if (length < 0) throw new BadCacheFile('corrupt text');
    if (kind === StringKind.Latin1) latin1Chars += length;
    else if (kind === StringKind.Utf16) utf16Chars += length;
    else if (kind !== StringKind.Absent || length !== 0) throw new BadCacheFile('corrupt text');
  }
  if (latin1Chars !== texts[1].length || utf16Chars !== texts[2].length) throw new BadCacheFile('corrupt text');
  let total = 0;
  for (let doc = 0; doc < sentenceCounts.length; doc++) {
    const count = sentenceCounts[doc]!;
    if (count < 0) throw new BadCacheFile('corrupt counts');
    total += count;
  }
  if (total !== sentences || tokenStart[0] !== 0 || tokenStart[sentences] !== tokenIds.length) throw new BadCacheFile('corrupt counts');
  for (let s = 0; s < sentences; s++) {
    const length = tokenStart[s + 1]! - tokenStart[s]!;
    if (length < 0 || length > 65_535) throw new BadCacheFile('corrupt token ranges');
  }
  for (let i = 0; i < tokenIds.length; i++) {
    const id = tokenIds[i]!;
    if (id < 0 || id >= terms) throw new BadCacheFile('corrupt token ids');
  }
}

interface DecodedArrays {
  stamps: Float64Array;
  lengths: Int32Array;
  kinds: Uint8Array;
  sentenceCounts: Int32Array;
  paragraphs: Int32Array;
  tokenStart: Int32Array;
  tokenIds: Int32Array;
  features: Uint8Array;
  leansBack: Uint8Array;
}

function buildSet(header: Header, texts: [string, string, string], arrays: DecodedArrays, stored: IndexArrays | undefined): AnalysedSet {
  const { stamps, lengths, kinds, sentenceCounts, paragraphs, tokenStart, tokenIds, features, leansBack } = arrays;
  const at = [0, 0, 0];
  let next = 0;
  const string = (): string | undefined => {
    const kind = kinds[next]!;
    const length = lengths[next++]!;
    if (kind === StringKind.Absent) return undefined;
    const from = at[kind]!;
    at[kind] = from + length;
    return texts[kind]!.slice(from, from + length);
  };
  const required = (): string => {
    const value = string();
    if (value === undefined) throw new BadCacheFile('corrupt document');
    return value;
  };
  const documents: SourceDocument[] = [];
  const hashes: string[] = [];
  const { sentences } = header;
  const docStart = new Int32Array(header.documents + 1);
  const sentenceDoc = new Int32Array(sentences);
  const sentenceLength = new Uint16Array(sentences);
  const sentenceParagraph = new Int32Array(sentences);
  let sentence = 0;
  let paragraph = -1;
  for (let doc = 0; doc < header.documents; doc++) {
    const id = required();
    hashes.push(required());
    const title = required();
    const url = string();
    const author = string();
    const published = string();
    docStart[doc] = sentence;
    const count = sentenceCounts[doc]!;
    const texts: string[] = new Array<string>(count);
    const own: number[] = new Array<number>(count);
    for (let position = 0; position < count; position++, sentence++) {
      texts[position] = required();
      const at = paragraphs[sentence]!;
      own[position] = at;
      if (position === 0 || at !== paragraphs[sentence - 1]) paragraph++;
      sentenceParagraph[sentence] = paragraph;
      sentenceDoc[sentence] = doc;
      sentenceLength[sentence] = tokenStart[sentence + 1]! - tokenStart[sentence]!;
    }
    const document: SourceDocument = { id, title, sentences: texts, paragraphs: own };
    if (url !== undefined) document.url = url;
    if (author !== undefined) document.author = author;
    if (published !== undefined) document.published = published;
    documents.push(document);
  }
  docStart[header.documents] = sentence;
  const terms: string[] = new Array<string>(header.terms);
  for (let t = 0; t < header.terms; t++) terms[t] = required();
  const titles = new Map<string, number[]>();
  if (stored !== undefined) {
    for (let t = 0; t < header.titleTerms; t++) titles.set(required(), Array.from(stored.titleDocuments.subarray(stored.titleStart[t]!, stored.titleStart[t + 1]!)));
  }
  const analysis: AnalysedDocuments = {
    terms,
    docStart,
    sentenceDoc,
    sentenceLength,
    tokens: tokenIds,
    tokenStart,
    features,
    leansBack,
    sentenceParagraph,
    paragraphCount: paragraph + 1,
  };
  const set: AnalysedSet = { documents, hashes, stamps, analysis };
  if (stored !== undefined) {
    set.index = {
      postings: { start: stored.postingStart, sentence: stored.postingSentence, frequency: stored.postingFrequency, documents: stored.termDocuments },
      titles,
    };
  }
  return set;
}
