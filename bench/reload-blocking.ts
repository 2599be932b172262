/**
 * Does a reload of a large article set block answering? Writes N sentences of the carried public-domain
 * corpus as article files, opens the library, then reloads it while asking a question every 10 ms, once
 * on this thread and once on a worker thread, and reports the longest pause between answers.
 *
 * Usage: npx tsx bench/reload-blocking.ts [--sentences 200000] [--corpus FILE]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ArticleLibrary } from '../src/sources/library';
import { readSentenceLines } from './perf/corpus-io';

const { values } = parseArgs({ options: { sentences: { type: 'string', default: '200000' }, corpus: { type: 'string', default: 'bench/corpus/gutenberg-200k.txt.br' } } });
const wanted = Number(values.sentences);
const pool = readSentenceLines(values.corpus);
const dir = mkdtempSync(join(tmpdir(), 'reload-blocking-'));
const PER_FILE = 20;
for (let file = 0; file * PER_FILE < wanted; file++) {
  const lines = Array.from({ length: PER_FILE }, (_, k) => pool[(file * PER_FILE + k) % pool.length]);
  writeFileSync(join(dir, `article-${String(file).padStart(6, '0')}.txt`), lines.join('\n\n'));
}

async function measure(offThread: boolean) {
  const { library } = await ArticleLibrary.open({ sourcesPath: dir, offThreadAbove: offThread ? 0 : Infinity });
  let longestPause = 0;
  let answers = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    library.ask('Where did the king go after the battle?');
    const now = performance.now();
    longestPause = Math.max(longestPause, now - last);
    last = now;
    answers++;
  }, 10);
  const started = performance.now();
  const report = await library.reload();
  const took = performance.now() - started;
  clearInterval(timer);
  // The last stretch before the reload resolves is a pause too, though no tick saw its end.
  longestPause = Math.max(longestPause, performance.now() - last);
  return { offThread, sentences: report.after.sentences, reloadMs: Math.round(took), answersDuringReload: answers, longestPauseMs: Math.round(longestPause) };
}

try {
  for (const offThread of [false, true]) console.log(JSON.stringify(await measure(offThread)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
