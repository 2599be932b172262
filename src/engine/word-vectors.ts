import { readFileSync } from 'node:fs';
import { packageFile } from '../runtime-files';

/**
 * Word meaning for the ranker: a vector per index term (a Porter stem, as src/text/tokens.ts makes
 * them) from pretrained GloVe vectors, reduced and quantised by scripts/build-word-vectors.ts into
 * data/word-vectors.bin (provenance in data/README.md). Two terms whose vectors point the same way are
 * used alike in text ("injur" and "wound", "kill" and "die"), which is the evidence BM25 cannot see when
 * a question says in its own words what the article says in others.
 *
 * The file is read as it is: the rows stay an Int8Array view of the file's bytes, the terms one string
 * searched by binary search, so loading builds no map (start-up is counted in milliseconds).
 */

/** First bytes of the file: its layout's version. */
const MAGIC = 'QAWVEC01';
const HEADER_BYTES = 24;

/**
 * Dimensions `dotRowAbove` sums before it asks whether the rest can still lift the cosine to its
 * threshold: the axes are principal axes, largest first, so the first ones carry most of it.
 */
const HEAD_DIMS = 16;
/** Room for rounding in that bound (cosines are about 1; the bound's own error is about 1e-15). */
const BOUND_SLACK = 1e-9;

export class WordVectors {
  /** How many terms have a vector. */
  readonly size: number;

  /**
   * @param terms every term, sorted in JavaScript string order, concatenated (ASCII only)
   * @param offsets where each term starts in `terms`, and the end (size + 1 entries)
   * @param rows `dims` signed bytes per term, in the order of the terms
   * @param scales per term: the factor that makes its row a unit vector (so a dot product of two rows
   *   times both scales is their cosine)
   */
  /** Per row: the Euclidean norm of its components from HEAD_DIMS on (NaN: not computed yet). */
  private tailNorms: Float64Array | undefined;

  constructor(
    private readonly terms: string,
    private readonly offsets: Int32Array,
    private readonly rows: Int8Array,
    private readonly scales: Float32Array,
    readonly dims: number,
  ) {
    this.size = offsets.length - 1;
  }

  static readonly EMPTY = new WordVectors('', new Int32Array(1), new Int8Array(0), new Float32Array(0), 0);

  /** The row of a term, or -1 when it has no vector. Binary search without making substrings. */
  row(term: string): number {
    const { terms, offsets } = this;
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const order = compareAt(terms, offsets[mid]!, offsets[mid + 1]!, term);
      if (order < 0) lo = mid + 1;
      else if (order > 0) hi = mid;
      else return mid;
    }
    return -1;
  }

  /** The term of a row (for tests and tools). */
  term(row: number): string {
    return this.terms.slice(this.offsets[row]!, this.offsets[row + 1]!);
  }

  /** Cosine of two rows (-1..1); 0 when either is -1. */
  rowSimilarity(a: number, b: number): number {
    if (a < 0 || b < 0) return 0;
    const { rows, dims } = this;
    const ia = a * dims;
    const ib = b * dims;
    let dot = 0;
    for (let d = 0; d < dims; d++) dot += rows[ia + d]! * rows[ib + d]!;
    return dot * this.scales[a]! * this.scales[b]!;
  }

  /** Cosine of two terms' vectors; 0 when either has none. */
  similarity(a: string, b: string): number {
    return a === b ? (this.row(a) >= 0 ? 1 : 0) : this.rowSimilarity(this.row(a), this.row(b));
  }

  /** The row as a unit vector of floats into `out` (a query's term, dotted with many rows). */
  unitVector(row: number, out: Float32Array): Float32Array {
    const { rows, dims } = this;
    const scale = this.scales[row]!;
    for (let d = 0; d < dims; d++) out[d] = rows[row * dims + d]! * scale;
    return out;
  }

  /** Dot product of a unit vector (`unitVector`, from `offset` in `vectors`) with a row: their cosine. */
  dotRow(vectors: Float32Array, offset: number, row: number): number {
    const { rows, dims } = this;
    const at = row * dims;
    let dot = 0;
    for (let d = 0; d < dims; d++) dot += vectors[offset + d]! * rows[at + d]!;
    return dot * this.scales[row]!;
  }

  /** The norm of the components of a unit vector (`unitVector`, from `offset` in `vectors`) that `dotRowAbove` bounds. */
  tailNorm(vectors: Float32Array, offset: number): number {
    let sum = 0;
    for (let d = HEAD_DIMS; d < this.dims; d++) sum += vectors[offset + d]! * vectors[offset + d]!;
    return Math.sqrt(sum);
  }

  /**
   * `dotRow(vectors, offset, row)`, the same number, when it can exceed `threshold`; else a number below
   * `threshold` (-Infinity), without summing the row's last dimensions. `tailNorm` is `tailNorm(vectors,
   * offset)`. The sum runs in dotRow's order, so a result is bit for bit dotRow's; the rest is cut when
   * even the rest's largest possible part (Cauchy-Schwarz: the product of the two tails' norms) could not
   * bring it to `threshold`.
   */
  dotRowAbove(vectors: Float32Array, offset: number, tailNorm: number, row: number, threshold: number): number {
    const { rows, dims } = this;
    const at = row * dims;
    const head = Math.min(HEAD_DIMS, dims);
    let dot = 0;
    for (let d = 0; d < head; d++) dot += vectors[offset + d]! * rows[at + d]!;
    const scale = this.scales[row]!;
    if ((dot + tailNorm * this.rowTailNorm(row)) * scale < threshold - BOUND_SLACK) return -Infinity;
    for (let d = head; d < dims; d++) dot += vectors[offset + d]! * rows[at + d]!;
    return dot * scale;
  }

  private rowTailNorm(row: number): number {
    const norms = (this.tailNorms ??= new Float64Array(this.size).fill(Number.NaN));
    let norm = norms[row]!;
    if (Number.isNaN(norm)) {
      const { rows, dims } = this;
      let sum = 0;
      for (let d = HEAD_DIMS; d < dims; d++) sum += rows[row * dims + d]! * rows[row * dims + d]!;
      norms[row] = norm = Math.sqrt(sum);
    }
    return norm;
  }

  /** The `count` rows closest to `row` among `candidates` (tools and tests; the engine never scans the table). */
  nearest(row: number, count: number, candidates: Iterable<number> = range(this.size)): { row: number; similarity: number }[] {
    const out: { row: number; similarity: number }[] = [];
    for (const other of candidates) {
      if (other !== row) out.push({ row: other, similarity: this.rowSimilarity(row, other) });
    }
    return out.sort((a, b) => b.similarity - a.similarity || a.row - b.row).slice(0, count);
  }
}

function* range(n: number): Iterable<number> {
  for (let i = 0; i < n; i++) yield i;
}

/** Compares terms.slice(start, end) with `term` in JavaScript string order, without slicing. */
function compareAt(terms: string, start: number, end: number, term: string): number {
  const length = end - start;
  const common = Math.min(length, term.length);
  for (let i = 0; i < common; i++) {
    const diff = terms.charCodeAt(start + i) - term.charCodeAt(i);
    if (diff !== 0) return diff;
  }
  return length - term.length;
}

/** A term with its vector, as the build script gives them to `encodeWordVectors`. */
export interface TermVector {
  term: string;
  vector: ArrayLike<number>;
}

/**
 * The file's bytes for these terms (ASCII, distinct) and vectors (all of `dims` numbers, none all zero):
 * each vector quantised to signed bytes, its largest component to ±127, with the factor that makes the
 * quantised row a unit vector. Layout (little-endian): "QAWVEC01", uint32 count, dims, terms' bytes, 0;
 * float32 scales[count]; int32 offsets[count + 1]; int8 rows[count × dims]; the sorted terms, concatenated.
 */
export function encodeWordVectors(entries: readonly TermVector[], dims: number): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    const { term, vector } = sorted[i]!;
    if (!/^[\x21-\x7e]+$/.test(term)) throw new Error(`word vectors: term ${JSON.stringify(term)} is not printable ASCII`);
    if (i > 0 && sorted[i - 1]!.term === term) throw new Error(`word vectors: term ${term} is listed twice`);
    if (vector.length !== dims) throw new Error(`word vectors: ${term} has ${vector.length} numbers, not ${dims}`);
  }
  const count = sorted.length;
  const text = sorted.map((entry) => entry.term).join('');
  const size = HEADER_BYTES + 4 * count + 4 * (count + 1) + count * dims + text.length;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, count, true);
  view.setUint32(12, dims, true);
  view.setUint32(16, text.length, true);
  const scalesAt = HEADER_BYTES;
  const offsetsAt = scalesAt + 4 * count;
  const rowsAt = offsetsAt + 4 * (count + 1);
  const textAt = rowsAt + count * dims;
  let offset = 0;
  sorted.forEach(({ term, vector }, i) => {
    let largest = 0;
    for (let d = 0; d < dims; d++) largest = Math.max(largest, Math.abs(vector[d]!));
    if (!(largest > 0) || !Number.isFinite(largest)) throw new Error(`word vectors: ${term} has no direction`);
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const q = Math.round((127 * vector[d]!) / largest);
      bytes[rowsAt + i * dims + d] = q & 0xff;
      norm += q * q;
    }
    view.setFloat32(scalesAt + 4 * i, 1 / Math.sqrt(norm), true);
    view.setInt32(offsetsAt + 4 * i, offset, true);
    offset += term.length;
  });
  view.setInt32(offsetsAt + 4 * count, offset, true);
  for (let i = 0; i < text.length; i++) bytes[textAt + i] = text.charCodeAt(i);
  return bytes;
}

/** The exact cosine of two vectors of the same length (the build's reference for the quantised table). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let d = 0; d < a.length; d++) {
    dot += a[d]! * b[d]!;
    na += a[d]! * a[d]!;
    nb += b[d]! * b[d]!;
  }
  return dot / Math.sqrt(na * nb);
}

/** The table in a file's bytes (`encodeWordVectors`); throws a specific error for a file that is not one. */
export function decodeWordVectors(bytes: Uint8Array): WordVectors {
  if (bytes.length < HEADER_BYTES || String.fromCharCode(...bytes.subarray(0, 8)) !== MAGIC) {
    throw new Error('word vectors: not a word-vector file (bad magic)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const dims = view.getUint32(12, true);
  const textBytes = view.getUint32(16, true);
  const expected = HEADER_BYTES + 4 * count + 4 * (count + 1) + count * dims + textBytes;
  if (bytes.length !== expected) throw new Error(`word vectors: the file has ${bytes.length} bytes, its header says ${expected}`);
  // Typed-array views need aligned offsets; a buffer read from disk starts aligned, a slice may not.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const base = aligned.byteOffset;
  const scalesAt = HEADER_BYTES;
  const offsetsAt = scalesAt + 4 * count;
  const rowsAt = offsetsAt + 4 * (count + 1);
  const textAt = rowsAt + count * dims;
  const scales = new Float32Array(aligned.buffer, base + scalesAt, count);
  const offsets = new Int32Array(aligned.buffer, base + offsetsAt, count + 1);
  const rows = new Int8Array(aligned.buffer, base + rowsAt, count * dims);
  if (offsets[0] !== 0 || offsets[count] !== textBytes) throw new Error('word vectors: the term offsets do not span the terms');
  // The binary search needs every term non-empty and in order: a damaged offset would misfile terms.
  for (let i = 0; i < count; i++) {
    if (!(offsets[i + 1]! > offsets[i]!)) throw new Error(`word vectors: term ${i}'s offsets are out of order`);
    // A damaged scale (NaN, infinite, zero) would give every similarity with that term as NaN or nonsense.
    const scale = scales[i]!;
    if (!(scale > 0 && scale < Infinity)) throw new Error(`word vectors: term ${i}'s scale is ${scale}, not a positive finite number`);
  }
  const terms = Buffer.from(aligned.buffer, base + textAt, textBytes).toString('latin1');
  return new WordVectors(terms, offsets, rows, scales, dims);
}

const FILE = packageFile('data/word-vectors.bin');
let loaded: WordVectors | undefined;

/**
 * The table in data/, read on first use (not at start-up). A missing or damaged file must not stop
 * answering: it gives one warning and an empty table, so every similarity is 0 and the ranking is the
 * lexical one.
 */
export function wordVectors(): WordVectors {
  if (loaded === undefined) {
    try {
      loaded = decodeWordVectors(readFileSync(FILE));
    } catch (error) {
      process.emitWarning(`${FILE} could not be used, ranking without word vectors: ${(error as Error).message}`);
      loaded = WordVectors.EMPTY;
    }
  }
  return loaded;
}
