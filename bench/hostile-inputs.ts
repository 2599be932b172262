/**
 * How long hostile article shapes take to read, per MB, beside ordinary prose of the same size and
 * format (issue 15). Each cell runs in its own child process with a timeout.
 *
 *   npx tsx bench/hostile-inputs.ts [--sizes 64k,256k,1m,1.9m] [--runs 3] [--timeout 120] [--shapes FILTER]
 *   npx tsx bench/hostile-inputs.ts --write DIR --sizes 1.9m     # writes the shapes as files, to try with the CLI
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HOSTILE_SHAPES, shapeFileName, type HostileShape } from './hostile/shapes';

const USAGE = `Usage: npx tsx bench/hostile-inputs.ts [options]
  --sizes LIST    sizes in bytes, k or m suffixes (default 64k,256k,1m,1.9m)
  --runs N        reads per cell; figures are medians (default 3)
  --timeout S     kill a cell after S seconds and skip the shape's larger sizes (default 120)
  --shapes TEXT   only shapes whose name contains TEXT (prose is always measured)
  --write DIR     write each shape as a file of each size into DIR instead of timing`;

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '64k,256k,1m,1.9m' },
    runs: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '120' },
    shapes: { type: 'string' },
    write: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function parseBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!match) throw new Error(`bad size "${text}"`);
  const scale = { '': 1, k: 1024, m: 1024 * 1024 }[(match[2] ?? '').toLowerCase()] ?? 1;
  return Math.floor(Number(match[1]) * scale);
}

const sizes = values.sizes.split(',').map(parseBytes);
const shapes = HOSTILE_SHAPES.filter((shape) => shape.name.startsWith('prose') || values.shapes === undefined || shape.name.includes(values.shapes));

if (values.write !== undefined) {
  mkdirSync(values.write, { recursive: true });
  for (const shape of shapes) {
    for (const size of sizes) {
      const file = join(values.write, sizes.length > 1 ? `${size}-${shapeFileName(shape)}` : shapeFileName(shape));
      writeFileSync(file, shape.build(size));
      console.log(file);
    }
  }
  process.exit(0);
}

interface Cell {
  bytes: number;
  parseMs: number;
  totalMs: number;
  outcome: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function measure(shape: HostileShape, bytes: number): Promise<Cell | 'timeout' | 'failed'> {
  const child = new URL('./hostile/measure.ts', import.meta.url).pathname;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--stack-size=4000', child, shape.name, String(bytes), values.runs],
      { timeout: Number(values.timeout) * 1000, maxBuffer: 1 << 20 },
      (error, stdout) => {
        if (error && (error as { killed?: boolean }).killed) return resolve('timeout');
        if (error) {
          process.stderr.write(`${shape.name} @ ${bytes}: ${error.message.split('\n')[0]}\n`);
          return resolve('failed');
        }
        const result = JSON.parse(stdout) as { bytes: number; parseMs: number[]; totalMs: number[]; outcome: string };
        resolve({ bytes: result.bytes, parseMs: median(result.parseMs), totalMs: median(result.totalMs), outcome: result.outcome });
      },
    );
  });
}

const MB = 1024 * 1024;
const results = new Map<string, Map<number, Cell | 'timeout' | 'failed'>>();
const loadBefore = loadavg()[0] ?? 0;
for (const shape of shapes) {
  const row = new Map<number, Cell | 'timeout' | 'failed'>();
  results.set(shape.name, row);
  for (const size of sizes) {
    const cell = await measure(shape, size);
    row.set(size, cell);
    const shown = cell === 'failed' ? 'failed' : cell === 'timeout' ? `over ${values.timeout} s` : `${cell.totalMs.toFixed(0)} ms (${cell.outcome})`;
    process.stderr.write(`${shape.name} @ ${size}: ${shown}\n`);
    if (cell === 'timeout' || cell === 'failed') break;
  }
}

const prose = (shape: HostileShape) => `prose (${shape.extension})`;
const header = `| shape | ${sizes.map((size) => `${(size / MB).toFixed(2)} MB: ms/MB (× prose)`).join(' | ')} | outcome at the largest size |`;
const lines = [header, `| --- | ${sizes.map(() => '---:').join(' | ')} | --- |`];
for (const shape of shapes) {
  const row = results.get(shape.name) ?? new Map();
  const cells = sizes.map((size) => {
    const cell = row.get(size);
    if (cell === undefined) return 'skipped';
    if (cell === 'timeout') return `> ${values.timeout} s`;
    if (cell === 'failed') return 'failed';
    const base = results.get(prose(shape))?.get(size);
    const perMb = cell.totalMs / (cell.bytes / MB);
    const ratio = base && base !== 'timeout' && base !== 'failed' ? ` (${(cell.totalMs / (base.totalMs * (cell.bytes / base.bytes))).toFixed(1)}×)` : '';
    return `${perMb.toFixed(0)}${ratio}`;
  });
  const last = [...row.values()].pop();
  lines.push(`| ${shape.name} | ${cells.join(' | ')} | ${last === undefined || last === 'timeout' || last === 'failed' ? `${last ?? 'not run'}` : last.outcome} |`);
}
console.log(lines.join('\n'));
console.log(`\nmedian of ${values.runs} reads per cell (decode, extraction, sentences, chrome filter, index analysis); load average ${loadBefore.toFixed(2)} → ${(loadavg()[0] ?? 0).toFixed(2)}`);
