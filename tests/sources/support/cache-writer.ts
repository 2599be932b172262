/**
 * One of two processes sharing a DATA_DIR (tests/sources/analysis-cache.test.ts): each round it
 * rewrites its own article, loads the folder through the shared cache, checks that what it got is
 * exactly right, and writes the cache back. Any warning (a torn or corrupt cache file) or wrong
 * document goes to stderr, which the test requires to be empty.
 *
 * Usage: node --import tsx cache-writer.ts SOURCES CACHE_DIR NAME ROUNDS
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { analyseDocuments } from '../../../src/engine/sentence-index';
import { AnalysisCache } from '../../../src/sources/analysis-cache';
import { loadIncrementally } from '../../../src/sources/incremental-load';
import { loadSourceFile } from '../../../src/sources/loader';

const [sources = '', cacheDir = '', name = '', rounds = '1'] = process.argv.slice(2);
const cache = new AnalysisCache({ dir: cacheDir, onWarning: (line) => process.stderr.write(`warning: ${line}\n`) });
const own = `proc-${name}.txt`;
const ROUND = /^Process (\w) wrote round (\d+) about the harbour\.$/;

for (let round = 0; round < Number(rounds); round++) {
  writeFileSync(join(sources, own), `Process ${name} wrote round ${round} about the harbour.`);
  const load = await loadIncrementally(sources, { cache });
  if (!isDeepStrictEqual(load.analysis, analyseDocuments(load.documents))) process.stderr.write(`round ${round}: analysis differs from a fresh one\n`);
  for (const document of load.documents) {
    if (document.id.startsWith('proc-')) {
      const match = ROUND.exec(document.sentences[0] ?? '');
      const right = match !== null && match[1] === document.id.slice(5, 6) && (document.id !== own || match[2] === String(round));
      if (!right || document.sentences.length !== 1) process.stderr.write(`round ${round}: ${document.id} holds ${JSON.stringify(document.sentences)}\n`);
    } else if (!isDeepStrictEqual(document, await loadSourceFile(join(sources, document.id), document.id))) {
      process.stderr.write(`round ${round}: ${document.id} differs from the file\n`);
    }
  }
  await cache.write(load.source, load);
  process.stdout.write(`round ${round}: ${load.analysed} analysed, ${load.fromCache} from the cache\n`);
}
