/**
 * Does a reload of a large article set block answering? Writes N sentences of the carried public-domain
 * corpus as article files, opens the library, then asks a question every 10 ms while it reloads: once
 * with every file changed (all analysed again), once with one file changed, and once during a
 * `/source add`; then adds one large article (--large sentences, 0 for none) beside them and reloads
 * after a line was added to it. Reports each one's time and the longest pause between answers.
 *
 * Usage: npx tsx bench/reload-blocking.ts [--sentences 200000] [--large 8000] [--corpus FILE]
 */
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ArticleLibrary } from '../src/sources/library';
import { readSentenceLines } from './perf/corpus-io';

const { values } = parseArgs({
  options: { sentences: { type: 'string', default: '200000' }, large: { type: 'string', default: '8000' }, corpus: { type: 'string', default: 'bench/corpus/gutenberg-200k.txt.br' } },
});
const wanted = Number(values.sentences);
const pool = readSentenceLines(values.corpus);
const dir = mkdtempSync(join(tmpdir(), 'reload-blocking-'));
const PER_FILE = 20;
/** Longer than the cache's SETTLED_MS (2 s): files older than it at a read are trusted by their stamps. */
const SETTLE_MS = 2500;
for (let file = 0; file * PER_FILE < wanted; file++) {
  const lines = Array.from({ length: PER_FILE }, (_, k) => pool[(file * PER_FILE + k) % pool.length]);
  writeFileSync(join(dir, `article-${String(file).padStart(6, '0')}.txt`), lines.join('\n\n'));
}

async function measure(library: ArticleLibrary, label: string, change: () => Promise<unknown>) {
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
  await change();
  const took = performance.now() - started;
  clearInterval(timer);
  // The last stretch before the change resolves is a pause too, though no tick saw its end.
  longestPause = Math.max(longestPause, performance.now() - last);
  return { change: label, sentences: library.counts().sentences, ms: Math.round(took), answersMeanwhile: answers, longestPauseMs: Math.round(longestPause) };
}

try {
  const { library } = await ArticleLibrary.open({ sourcesPath: dir });
  const files = readdirSync(dir).filter((name) => name.endsWith('.txt'));
  for (const name of files) appendFileSync(join(dir, name), '\n\nA line added to every file.');
  // A file changed within the cache's settling window (2 s) of a read is read and hashed again at the
  // next reload. Left unsettled, a quarter of the set would be re-read in the one-file case below,
  // which is not "one file changed among 10,000 that have sat there"; so let the changes settle first.
  await new Promise((done) => setTimeout(done, SETTLE_MS));
  console.log(JSON.stringify(await measure(library, 'reload, every file changed', () => library.reload())));
  appendFileSync(join(dir, files[0] ?? ''), '\n\nOne more line in one file.');
  console.log(JSON.stringify(await measure(library, 'reload, one file changed', () => library.reload())));
  const add = () => library.addSource({ text: 'Penguins marched across the frozen lake on Tuesday.', format: 'text', metadata: { title: 'Penguins on the lake' }, addedBy: { id: 'bench', tag: 'bench' } });
  console.log(JSON.stringify(await measure(library, '/source add', add)));
  const large = Number(values.large);
  if (large > 0) {
    // Sentences from the far end of the corpus, one paragraph each, as one article.
    const text = Array.from({ length: large }, (_, k) => pool[(pool.length - 1 - k + pool.length) % pool.length]).join('\n\n');
    const addLarge = () => library.addSource({ text, format: 'text', metadata: { title: 'A long chronicle' }, addedBy: { id: 'bench', tag: 'bench' } });
    const added = await measure(library, `/source add, one ${large}-sentence article`, addLarge);
    console.log(JSON.stringify(added));
    const file = library.sources().find((source) => source.title === 'A long chronicle')?.id ?? '';
    appendFileSync(join(dir, file), '\n\nOne more line in the long article.');
    console.log(JSON.stringify(await measure(library, `reload, the ${large}-sentence article changed`, () => library.reload())));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
