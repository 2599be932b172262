/**
 * Child process of bench/hostile-inputs.ts: reads one hostile shape of one size the way the loader
 * reads a file (decode, format extraction, sentences, chrome filter) and analyses it for the index,
 * `runs` times, and prints the times in ms as one JSON line. A child per cell, so that a shape that
 * still takes minutes is killed by the parent's timeout instead of stalling the whole benchmark.
 */
import { analyseDocuments } from '../../src/engine/sentence-index';
import { decodeSourceBytes } from '../../src/sources/formats/detect';
import { parseSourceText } from '../../src/sources/loader';
import { shapeFileName, shapeNamed } from './shapes';

const [name = '', bytesArg = '0', runsArg = '1'] = process.argv.slice(2);
const shape = shapeNamed(name);
const bytes = Buffer.from(shape.build(Number(bytesArg)), 'utf8');
const id = shapeFileName(shape);
// One small read of ordinary prose first, so the first timed read does not pay for compiling the code.
const warmUp = shapeNamed(`prose (${shape.extension})`);
analyseDocuments([parseSourceText(shapeFileName(warmUp), warmUp.build(64 * 1024), warmUp.format)]);
const parseMs: number[] = [];
const totalMs: number[] = [];
let outcome = 'read';
for (let run = 0; run < Number(runsArg); run++) {
  const started = performance.now();
  try {
    const document = parseSourceText(id, decodeSourceBytes(bytes, id, Infinity), shape.format);
    parseMs.push(performance.now() - started);
    analyseDocuments([document]);
    outcome = `${document.sentences.length} sentences`;
  } catch (error) {
    parseMs.push(performance.now() - started);
    outcome = `refused: ${(error as { reason?: string }).reason ?? String(error)}`;
  }
  totalMs.push(performance.now() - started);
}
process.stdout.write(`${JSON.stringify({ bytes: bytes.length, parseMs, totalMs, outcome })}\n`);
