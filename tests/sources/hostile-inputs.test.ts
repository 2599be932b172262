/**
 * Hostile article shapes (issue 15): every shape of bench/hostile/shapes.ts, read as the loader reads a
 * file, finishes in a small multiple of ordinary prose of the same size and format, read in the same
 * run. The bound is generous (20× prose, plus a second) so that load on the machine cannot fail it; the
 * code before the fix took 30× to over 1,000× prose on each of the shapes it lists. Speed itself is
 * measured by `npx tsx bench/hostile-inputs.ts`.
 */
import { describe, expect, it } from 'vitest';
import { analyseDocuments } from '../../src/engine/sentence-index';
import { SourceFormatError } from '../../src/sources/formats/errors';
import { parseSourceText } from '../../src/sources/loader';
import { HOSTILE_SHAPES, shapeFileName, shapeNamed, type HostileShape } from '../../bench/hostile/shapes';

const BYTES = 512 * 1024;
const ALLOWED_RATIO = 20;
const SLACK_MS = 1_000;

function read(shape: HostileShape): { ms: number; sentences: number | string } {
  const text = shape.build(BYTES);
  const started = performance.now();
  try {
    const document = parseSourceText(shapeFileName(shape), text, shape.format);
    analyseDocuments([document]);
    return { ms: performance.now() - started, sentences: document.sentences.length };
  } catch (error) {
    if (!(error instanceof SourceFormatError)) throw error;
    return { ms: performance.now() - started, sentences: error.reason };
  }
}

const proseMs = new Map<string, number>();
function proseTime(extension: string): number {
  const known = proseMs.get(extension);
  if (known !== undefined) return known;
  const prose = shapeNamed(`prose (${extension})`);
  read(prose); // warm-up: the first read also compiles the code
  const ms = Math.min(read(prose).ms, read(prose).ms);
  proseMs.set(extension, ms);
  return ms;
}

describe('reading hostile shapes of 512 KB', () => {
  it.each(HOSTILE_SHAPES.filter((shape) => !shape.name.startsWith('prose')).map((shape) => [shape.name, shape] as const))(
    '%s reads in a small multiple of prose of the same size',
    (_name, shape) => {
      const prose = proseTime(shape.extension);
      const { ms, sentences } = read(shape);
      // Either read (at least one sentence) or refused with its reason, never thrown.
      expect(typeof sentences === 'string' ? sentences.length : sentences).toBeGreaterThan(0);
      expect(ms, `${ms.toFixed(0)} ms against ${prose.toFixed(0)} ms for prose`).toBeLessThan(prose * ALLOWED_RATIO + SLACK_MS);
    },
    120_000,
  );
});
