/**
 * One bot in many servers: memory and first-answer time with N servers of M articles each plus the seed as
 * the shared articles, and the time to answer in a server whose index was dropped. Writes every server's
 * articles (sentences of the carried public-domain corpus, SENTENCES per article) under a temp DATA_DIR,
 * then asks one question in every server in turn through ServerLibraries, as the Discord bot does, with the
 * analysis cache in DATA_DIR/cache as the bot has it by default (INDEX_CACHE=true; `--no-cache` for none). A
 * dropped index is rebuilt both with the cache and without it, in turns, in the same run.
 *
 * Usage: node --expose-gc --import tsx bench/servers.ts [--servers 1000] [--articles 20] [--sentences 20] [--budget-mb 4096] [--no-cache]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AnalysisCache } from '../src/sources/analysis-cache';
import { ArticleLibrary } from '../src/sources/library';
import { ServerLibraries, serverArticlesFolder } from '../src/sources/server-libraries';
import { readSentenceLines } from './perf/corpus-io';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '1000' },
    articles: { type: 'string', default: '20' },
    sentences: { type: 'string', default: '20' },
    'budget-mb': { type: 'string', default: '4096' },
    corpus: { type: 'string', default: 'bench/corpus/gutenberg-200k.txt.br' },
    'no-cache': { type: 'boolean', default: false },
  },
});
const SERVERS = Number(values.servers);
const ARTICLES = Number(values.articles);
const SENTENCES = Number(values.sentences);
const BUDGET = Number(values['budget-mb']) * 1024 * 1024;
const QUESTION = 'Where did the king go after the battle?';

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = (): number => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};
const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const ms = (n: number): string => `${n.toFixed(2)} ms`;

const pool = readSentenceLines(values.corpus);
const root = mkdtempSync(join(tmpdir(), 'bench-servers-'));
const dataDir = join(root, 'data');
const serverId = (n: number): string => String(100_000_000_000_000_000n + BigInt(n));
let next = 0;
for (let s = 0; s < SERVERS; s++) {
  const folder = serverArticlesFolder(dataDir, serverId(s));
  mkdirSync(folder, { recursive: true });
  for (let a = 0; a < ARTICLES; a++) {
    const lines = Array.from({ length: SENTENCES }, () => pool[next++ % pool.length]);
    writeFileSync(join(folder, `article-${a}.txt`), lines.join('\n\n'));
  }
}

try {
  const baseline = heapMb();
  const { library: shared } = await ArticleLibrary.open({ sourcesPath: 'seeds' });
  const cache = values['no-cache'] ? undefined : new AnalysisCache({ dir: join(dataDir, 'cache') });
  const servers = new ServerLibraries({ shared, dataDir, budgetBytes: BUDGET, ...(cache ? { cache } : {}) });
  const afterShared = heapMb();

  // First answer in each server: its index is built from its folder, then the question is answered.
  const first: number[] = [];
  for (let s = 0; s < SERVERS; s++) {
    const started = performance.now();
    const library = await servers.forServer(serverId(s));
    library.ask(QUESTION);
    first.push(performance.now() - started);
  }
  await cache?.settled();
  const afterAll = heapMb();
  const estimateMb = servers.loadedBytes() / 1024 / 1024;

  // A server whose index is still loaded.
  const warm: number[] = [];
  const loaded = servers.loadedServers();
  for (let k = 0; k < Math.min(200, loaded.length); k++) {
    const id = loaded[loaded.length - 1 - k] ?? '';
    const started = performance.now();
    (await servers.forServer(id)).ask(QUESTION);
    warm.push(performance.now() - started);
  }

  // A server whose index was dropped: rebuilt from its folder (and the cache, when on), then answered; in turns
  // with the same server rebuilt by a ServerLibraries without the cache, so both are measured under the same load.
  const uncached = new ServerLibraries({ shared, dataDir, budgetBytes: BUDGET });
  const dropped: number[] = [];
  const droppedUncached: number[] = [];
  const rebuildAndAsk = async (directory: ServerLibraries, id: string, into: number[]) => {
    directory.drop(id);
    const started = performance.now();
    (await directory.forServer(id)).ask(QUESTION);
    into.push(performance.now() - started);
  };
  for (let k = 0; k < Math.min(200, SERVERS); k++) {
    const id = serverId(k);
    await uncached.forServer(id);
    if (k % 2 === 0) {
      await rebuildAndAsk(servers, id, dropped);
      await rebuildAndAsk(uncached, id, droppedUncached);
    } else {
      await rebuildAndAsk(uncached, id, droppedUncached);
      await rebuildAndAsk(servers, id, dropped);
    }
    uncached.drop(id);
  }
  const analysed = servers.stats().analysedFiles;

  for (const list of [first, warm, dropped, droppedUncached]) list.sort((a, b) => a - b);
  const sentencesPerServer = ARTICLES * SENTENCES;
  console.log(`servers: ${SERVERS} × ${ARTICLES} articles × ${SENTENCES} sentences (${sentencesPerServer} sentences each), shared: seeds/ (${shared.counts().sources} article, ${shared.counts().sentences} sentences)`);
  console.log(`analysis cache: ${cache ? `on (${join('DATA_DIR', 'cache')}); files analysed by the ${servers.stats().builds} builds: ${analysed}` : 'off (--no-cache)'}`);
  console.log(`memory budget: ${Math.round(BUDGET / 1024 / 1024)} MB; servers loaded at the end: ${servers.loadedServers().length}`);
  console.log(`heap after GC: ${baseline.toFixed(1)} MB before, ${afterShared.toFixed(1)} MB with the shared index, ${afterAll.toFixed(1)} MB with every server asked once (${((afterAll - afterShared) / SERVERS * 1024).toFixed(0)} KB per loaded server)`);
  console.log(`budget estimate of the loaded indexes: ${estimateMb.toFixed(1)} MB against ${(afterAll - afterShared).toFixed(1)} MB of heap growth (estimate ÷ heap ${(estimateMb / (afterAll - afterShared)).toFixed(2)})`);
  console.log(`first answer in a server (build its index + answer): median ${ms(quantile(first, 0.5))}, p99 ${ms(quantile(first, 0.99))}, total ${(first.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s for all ${SERVERS}`);
  console.log(`answer in a server whose index is loaded: median ${ms(quantile(warm, 0.5))}, p99 ${ms(quantile(warm, 0.99))}`);
  const median = quantile(dropped, 0.5);
  const medianUncached = quantile(droppedUncached, 0.5);
  console.log(`answer in a server whose index was dropped (rebuilt, then answered), ${cache ? 'with the cache' : 'no cache'}: median ${ms(median)}, p99 ${ms(quantile(dropped, 0.99))}`);
  console.log(`the same without the cache, in turns with it: median ${ms(medianUncached)}, p99 ${ms(quantile(droppedUncached, 0.99))} (with ÷ without: ${(median / medianUncached).toFixed(2)})`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
