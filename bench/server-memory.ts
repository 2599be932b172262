/**
 * Fits the memory estimate behind SERVER_INDEX_BUDGET_MB (ArticleLibrary.memoryEstimate) to the heap.
 * For each shape (articles × sentences per article) it builds COUNT servers' indexes as ServerLibraries does
 * and measures the heap they add after GC (a first pass over the same files fills the process-wide stem and
 * token caches first: they are bounded and shared, not part of any one index); then it fits the per-library, per-document and
 * per-term costs by least squares on what the exact parts (typed arrays, sentence strings) leave, and prints
 * the estimate against the heap for every shape. The shapes used for the fit are not the 20 × 20 that
 * bench/servers.ts checks the estimate on.
 *
 * Usage: node --expose-gc --import tsx bench/server-memory.ts [--count 150] [--shapes 5x80,80x5,10x10,40x40,3x200]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ArticleLibrary, type MemoryEstimate } from '../src/sources/library';
import { serverArticlesFolder } from '../src/sources/server-libraries';
import { readSentenceLines } from './perf/corpus-io';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '150' },
    shapes: { type: 'string', default: '5x80,80x5,10x10,40x40,3x200' },
    corpus: { type: 'string', default: 'bench/corpus/gutenberg-200k.txt.br' },
    /** Internal: measure this one shape and print it as JSON. */
    one: { type: 'string' },
  },
});
const COUNT = Number(values.count);
const SHAPES = values.shapes.split(',').map((shape) => shape.split('x').map(Number) as [number, number]);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/** Read only in the process that measures. */
const pool = values.one === undefined ? [] : readSentenceLines(values.corpus);
let next = 0;
const serverId = (n: number): string => String(100_000_000_000_000_000n + BigInt(n));

interface Row {
  shape: string;
  measured: number;
  parts: Omit<MemoryEstimate, 'estimate'>;
  estimate: number;
}

/** Measures one shape in this process: COUNT indexes, the heap they add, their estimate's parts. */
async function measureShape(articles: number, sentences: number): Promise<Row> {
  const root = mkdtempSync(join(tmpdir(), 'bench-server-memory-'));
  try {
    for (let s = 0; s < COUNT; s++) {
      const folder = serverArticlesFolder(root, serverId(s));
      mkdirSync(folder, { recursive: true });
      for (let a = 0; a < articles; a++) {
        const lines = Array.from({ length: sentences }, () => pool[next++ % pool.length]);
        writeFileSync(join(folder, `article-${a}.txt`), lines.join('\n\n'));
      }
    }
    // A first pass fills the process-wide stem and token caches (bounded, shared by every index) with these
    // articles' words, so the second pass measures what each index itself holds.
    for (let s = 0; s < COUNT; s++) await ArticleLibrary.open({ sourcesPath: serverArticlesFolder(root, serverId(s)), folderMayBeMissing: true });
    // As ServerLibraries builds a server's own index, each held here so its estimate can be read.
    const libraries: ArticleLibrary[] = [];
    const before = heap();
    for (let s = 0; s < COUNT; s++) {
      const { library } = await ArticleLibrary.open({ sourcesPath: serverArticlesFolder(root, serverId(s)), folderMayBeMissing: true });
      library.ask('Where did the king go after the battle?');
      libraries.push(library);
    }
    const measured = (heap() - before) / COUNT;
    const parts: MemoryEstimate[] = libraries.map((library) => library.memoryEstimate());
    const mean = (pick: (p: MemoryEstimate) => number) => parts.reduce((sum, p) => sum + pick(p), 0) / parts.length;
    return {
      shape: `${articles}x${sentences}`,
      measured,
      parts: { exact: mean((p) => p.exact), documents: mean((p) => p.documents), terms: mean((p) => p.terms), sentences: mean((p) => p.sentences) },
      estimate: mean((p) => p.estimate),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (values.one !== undefined) {
  const [articles, sentences] = values.one.split('x').map(Number) as [number, number];
  process.stdout.write(`${JSON.stringify(await measureShape(articles, sentences))}\n`);
  process.exit(0);
}

// Each shape in a fresh process: a process-wide cache emptied halfway through one would skew its heap.
const rows: Row[] = SHAPES.map(([articles, sentences]) => {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--one', `${articles}x${sentences}`, '--count', String(COUNT), '--corpus', values.corpus], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`shape ${articles}x${sentences} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as Row;
});

// residual = measured − exact ≈ perLibrary + perDocument·documents + perTerm·terms + perSentence·sentences
const fitted = rows.filter(({ parts }) => parts.documents > 0);
const X = fitted.map(({ parts }) => [1, parts.documents, parts.terms, parts.sentences]);
const y = fitted.map(({ measured, parts }) => measured - parts.exact);
const coefficients = fitted.length >= 4 ? leastSquares(X, y) : [];
console.log(`count ${COUNT} servers per shape; shared: seeds/`);
console.log('shape      heap/server  exact part  docs  terms  sentences  estimate now  now ÷ heap');
for (const row of rows) {
  const { parts } = row;
  console.log(
    `${row.shape.padEnd(10)} ${kb(row.measured).padStart(11)} ${kb(parts.exact).padStart(11)} ${parts.documents.toFixed(0).padStart(5)} ${parts.terms.toFixed(0).padStart(6)} ${parts.sentences.toFixed(0).padStart(10)} ${kb(row.estimate).padStart(13)} ${(row.estimate / row.measured).toFixed(3).padStart(10)}`,
  );
}
const [perLibrary, perDocument, perTerm, perSentence] = coefficients.map((c) => Math.round(c));
if (fitted.length >= 4) console.log(`fit: per library ${perLibrary} B, per document ${perDocument} B, per term ${perTerm} B, per sentence ${perSentence} B (beyond its string and typed arrays)`);

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** Solves the normal equations (XᵀX)β = Xᵀy by Gaussian elimination; small systems only. */
function leastSquares(rowsOfX: number[][], target: number[]): number[] {
  const n = rowsOfX[0]?.length ?? 0;
  const a = Array.from({ length: n }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (j < n ? rowsOfX.reduce((s, r, k) => s + r[i]! * r[j]! + 0 * k, 0) : rowsOfX.reduce((s, r, k) => s + r[i]! * target[k]!, 0))));
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = a[r]![col]! / a[col]![col]!;
      for (let c = col; c <= n; c++) a[r]![c]! -= factor * a[col]![c]!;
    }
  }
  return a.map((row, i) => row[n]! / row[i]!);
}
