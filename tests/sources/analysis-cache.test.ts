import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, realpath, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyseDocuments, SentenceIndex, type BuiltIndex } from '../../src/engine/sentence-index';
import { AnalysisCache } from '../../src/sources/analysis-cache';
import { loadIncrementally } from '../../src/sources/incremental-load';
import { ArticleLibrary } from '../../src/sources/library';
import { loadSources } from '../../src/sources/loader';
import { postingsByTerm, sentencesOf } from '../engine/same-index';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const QUESTIONS = ['When did the bridge reopen?', 'What was born at the zoo?', 'Who won the vote?', 'How much did the ferry cost?', 'What is the capital of France?'];

let dir: string;
let data: string;
let warnings: string[];
let cache: AnalysisCache;

const ARTICLES: Record<string, string> = {
  'bridge.txt': 'The old bridge reopened on Friday after repairs.\n\nIt had been closed for two years. "It is a relief," the mayor said.',
  'zoo.md': '---\ntitle: Panda born\nurl: https://news.example.org/panda\n---\nA panda was born at the city zoo. Keepers named it Bao.\n\nShe weighs 150 grams.',
  'vote.html': '<html><head><title>Election</title></head><body><article><p>Maria Lopez won the vote in Halden by 312 votes.</p><p>Turnout was 61 per cent.</p></article></body></html>',
  'ferry.txt': 'The new ferry cost $4.5 million and carries 300 passengers. Emoji 🎉 and café are fine.',
  'empty.txt': '',
};

async function writeArticles(files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
}

beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'qa-cache-src-')));
  data = await realpath(await mkdtemp(join(tmpdir(), 'qa-cache-data-')));
  // Each test's cache warns into that test's own list, so a write still running when a test ends
  // can never show up as a warning of the next one.
  const own: string[] = [];
  warnings = own;
  cache = new AnalysisCache({ dir: join(data, 'cache'), onWarning: (line) => own.push(line) });
  await writeArticles(ARTICLES);
});
afterEach(async () => {
  await cache.settled();
  await rm(dir, { recursive: true, force: true });
  await rm(data, { recursive: true, force: true });
});

/** What a load without any cache gives: the reference every cached load must equal exactly. */
async function freshLoad() {
  const { documents, skipped } = await loadSources(dir);
  return { documents, skipped, analysis: analyseDocuments(documents) };
}

async function expectSameAsFresh(load: Awaited<ReturnType<typeof loadIncrementally>>): Promise<void> {
  const fresh = await freshLoad();
  expect(load.documents).toEqual(fresh.documents);
  expect(load.skipped).toEqual(fresh.skipped);
  expect(load.analysis).toEqual(fresh.analysis);
}

async function answers(library: ArticleLibrary) {
  return QUESTIONS.map((question) => library.ask(question));
}

/** Files made this moment are read again (their stamp is too recent to trust); age them. */
async function ageFiles(): Promise<void> {
  const old = new Date(Date.now() - 60_000);
  for (const name of await readdir(dir)) await utimes(join(dir, name), old, old);
}

describe('analysis cache: what comes back is what a fresh analysis gives', () => {
  it('round-trips every document, skip and term id through the disk', async () => {
    const first = await loadIncrementally(dir, { cache });
    expect(first).toMatchObject({ analysed: 4, fromCache: 0 });
    await cache.write(first.source, first);
    const second = await loadIncrementally(dir, { cache });
    expect(second).toMatchObject({ analysed: 0, fromCache: 4 });
    await expectSameAsFresh(second);
    expect(warnings).toEqual([]);
  });

  it('analyses only the changed, new and renamed files, and drops removed ones', async () => {
    await ageFiles();
    await cache.write((await loadIncrementally(dir, { cache })).source, await loadIncrementally(dir, { cache }));
    await writeFile(join(dir, 'bridge.txt'), 'The old bridge closed again on Monday.');
    await writeFile(join(dir, 'new.txt'), 'A new library opened downtown with 20,000 books.');
    await rm(join(dir, 'ferry.txt'));
    const load = await loadIncrementally(dir, { cache });
    expect(load).toMatchObject({ analysed: 2, fromCache: 2 });
    await expectSameAsFresh(load);
  });

  it('reads back, with no warning, the file of a folder whose articles hold no terms', async () => {
    for (const name of Object.keys(ARTICLES)) await rm(join(dir, name));
    await writeFile(join(dir, 'empty.txt'), '');
    await writeFile(join(dir, 'words.txt'), 'The and of it.');
    await ArticleLibrary.open({ sourcesPath: dir, cache });
    await cache.settled();
    await ArticleLibrary.open({ sourcesPath: dir, cache });
    await cache.settled();
    expect(warnings).toEqual([]);
  });

  it('keeps a lone surrogate, Latin-1 and wide characters exactly', async () => {
    await writeFile(join(dir, 'odd.txt'), 'Prices in £ and ¥ rose. Straße café naïve. 東京 news 🎉 today.');
    const first = await loadIncrementally(dir, { cache });
    const broken = { ...first, documents: first.documents.map((d) => (d.id === 'odd.txt' ? { ...d, title: 'cut \ud83c' } : d)) };
    await cache.write(first.source, broken);
    const again = cache.read(first.source);
    expect(again?.documents).toEqual(broken.documents);
    expect(again?.analysis).toEqual(first.analysis);
  });

  it('serves from the cache after a restart exactly what a library without it serves', async () => {
    const { library: cold } = await ArticleLibrary.open({ sourcesPath: dir, cache });
    await cache.settled();
    const { library: warm, report } = await ArticleLibrary.open({ sourcesPath: dir, cache: new AnalysisCache({ dir: cache.dir }) });
    const { library: none } = await ArticleLibrary.open({ sourcesPath: dir });
    expect(report).toMatchObject({ ok: true, analysedFiles: 0 });
    expect(await answers(warm)).toEqual(await answers(none));
    expect(await answers(cold)).toEqual(await answers(none));
    expect(warm.summarize()).toEqual(none.summarize());
  });
});

describe('analysis cache: a bad cache file is ignored with one warning and rebuilt', () => {
  async function writtenCacheFile(): Promise<string> {
    const load = await loadIncrementally(dir, { cache });
    await cache.write(load.source, load);
    return cache.fileFor(load.source);
  }

  /** Patches bytes of the header JSON and fixes the checksum, as a file from another build would look. */
  function rewriteHeader(file: string, edit: (header: Record<string, unknown>) => void): void {
    const bytes = readFileSync(file);
    const length = bytes.readUInt32LE(12);
    const header = JSON.parse(bytes.toString('utf8', 16, 16 + length)) as Record<string, unknown>;
    edit(header);
    const json = Buffer.from(JSON.stringify(header).padEnd(length, ' '));
    expect(json.length).toBe(length);
    json.copy(bytes, 16);
    bytes.writeUInt32LE(crc32(bytes.subarray(0, bytes.length - 4)) >>> 0, bytes.length - 4);
    writeFileSync(file, bytes);
  }

  const corruptions: [string, (file: string) => void, RegExp][] = [
    ['truncated', (file) => writeFileSync(file, readFileSync(file).subarray(0, 1000)), /truncated/],
    ['cut by one byte', (file) => writeFileSync(file, readFileSync(file).subarray(0, -1)), /truncated|checksum/],
    ['empty', (file) => writeFileSync(file, ''), /truncated/],
    ['not a cache file', (file) => writeFileSync(file, 'hello, I am a text file that is long enough'), /not an analysis cache/],
    [
      'one flipped byte in the text',
      (file) => {
        const bytes = readFileSync(file);
        bytes[bytes.length - 40] = bytes[bytes.length - 40]! ^ 0x20;
        writeFileSync(file, bytes);
      },
      /checksum/,
    ],
    [
      'one flipped byte in the token ids',
      (file) => {
        const bytes = readFileSync(file);
        bytes[Math.floor(bytes.length / 2)] = bytes[Math.floor(bytes.length / 2)]! ^ 0x01;
        writeFileSync(file, bytes);
      },
      /checksum/,
    ],
    ['from another analyser version', (file) => rewriteHeader(file, (header) => (header.analyser = '0000000000000000')), /another version of the analyser/],
    ['for another folder', (file) => rewriteHeader(file, (header) => (header.source = `${String(header.source).slice(0, -3)}xyz`)), /it holds/],
  ];

  it.each(corruptions)('%s', async (_name, corrupt, reason) => {
    const file = await writtenCacheFile();
    corrupt(file);
    const { library, report } = await ArticleLibrary.open({ sourcesPath: dir, cache });
    expect(report).toMatchObject({ ok: true, analysedFiles: 4 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(reason);
    const { library: none } = await ArticleLibrary.open({ sourcesPath: dir });
    expect(await answers(library)).toEqual(await answers(none));
    // Rebuilt: the next start reads it with no warning and analyses nothing.
    await cache.settled();
    const again = await loadIncrementally(dir, { cache });
    expect(again).toMatchObject({ analysed: 0, fromCache: 4 });
    expect(warnings).toHaveLength(1);
  });

  it('a cache file that cannot be read (a folder in its place) is warned about once, and answers are unaffected', async () => {
    const load = await loadIncrementally(dir);
    await mkdir(cache.fileFor(load.source), { recursive: true });
    const { library, report } = await ArticleLibrary.open({ sourcesPath: dir, cache });
    await cache.settled();
    expect(report).toMatchObject({ ok: true, analysedFiles: 4 });
    expect(warnings[0]).toMatch(/cannot be read/);
    const { library: none } = await ArticleLibrary.open({ sourcesPath: dir });
    expect(await answers(library)).toEqual(await answers(none));
  });

  it('a cache file copied from another folder is not used for this one', async () => {
    const file = await writtenCacheFile();
    const other = await realpath(await mkdtemp(join(tmpdir(), 'qa-cache-other-')));
    try {
      await writeFile(join(other, 'bridge.txt'), 'A different bridge story entirely, about trains.');
      copyFileSync(file, cache.fileFor(other));
      const load = await loadIncrementally(other, { cache });
      expect(load.documents[0]?.sentences).toEqual(['A different bridge story entirely, about trains.']);
      expect(warnings).toEqual([expect.stringMatching(/it holds/)]);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('a cache folder that cannot be written is warned about and answers are unaffected', async () => {
    await writeFile(join(data, 'blocker'), 'not a folder');
    const blocked = new AnalysisCache({ dir: join(data, 'blocker', 'cache'), onWarning: (line) => warnings.push(line) });
    const { library } = await ArticleLibrary.open({ sourcesPath: dir, cache: blocked });
    await blocked.settled();
    expect(warnings).toEqual([expect.stringMatching(/could not be written/)]);
    expect(library.ask('When did the bridge reopen?').hits[0]?.source).toBe('bridge.txt');
  });
});

describe('analysis cache: the built index is kept beside the analysis', () => {
  async function warmLoad() {
    await writeFile(join(dir, 'harbour.txt'), 'The harbour opened at dawn. The harbour closed at noon.');
    await ageFiles();
    await ArticleLibrary.open({ sourcesPath: dir, cache });
    await cache.settled();
    return loadIncrementally(dir, { cache });
  }

  it('a start whose files all match the cache takes the index from it, equal to one built afresh', async () => {
    await ageFiles();
    const load = await warmLoad();
    expect(load).toMatchObject({ analysed: 0, fromCache: 5 });
    expect(load.index).toBeDefined();
    const fresh = await freshLoad();
    expect(load.index).toEqual(SentenceIndex.fromAnalysis(fresh.documents, fresh.analysis).builtIndex());
    const { library: none } = await ArticleLibrary.open({ sourcesPath: dir });
    const { library: warm } = await ArticleLibrary.open({ sourcesPath: dir, cache });
    expect(await answers(warm)).toEqual(await answers(none));
    expect(warnings).toEqual([]);
  });

  it('a changed file means the kept index is patched for the new set: equal to one built afresh', async () => {
    await ageFiles();
    await warmLoad();
    await writeFile(join(dir, 'bridge.txt'), 'The old bridge closed again on Monday after a crash.');
    const load = await loadIncrementally(dir, { cache });
    expect(load).toMatchObject({ analysed: 1, fromCache: 4 });
    const fresh = await freshLoad();
    expect(sentencesOf(load.analysis)).toEqual(sentencesOf(fresh.analysis));
    const built = SentenceIndex.fromAnalysis(fresh.documents, fresh.analysis).builtIndex();
    expect(postingsByTerm(load.analysis, load.index!.postings)).toEqual(postingsByTerm(fresh.analysis, built.postings));
    expect(sorted(load.index?.titles ?? new Map())).toEqual(sorted(built.titles));
    const { library: warm } = await ArticleLibrary.open({ sourcesPath: dir, cache });
    const { library: none } = await ArticleLibrary.open({ sourcesPath: dir });
    expect(warm.ask('When did the bridge close?')).toEqual(none.ask('When did the bridge close?'));
    expect(await answers(warm)).toEqual(await answers(none));
  });

  /** A file whose checksum is right but whose kept index is wrong, as a bug in a writer would leave it. */
  const badIndexes: [string, (index: BuiltIndex) => BuiltIndex, RegExp][] = [
    ['a posting past the last sentence', (index) => withPostings(index, (sentence) => (sentence[0] = 1_000_000)), /corrupt postings/],
    ['postings out of order', (index) => withPostings(index, (sentence, start) => sentence.set([5, 2], start[firstTermWith(start, 2)]!)), /corrupt postings/],
    ['a posting range past the end', (index) => ({ ...index, postings: { ...index.postings, start: index.postings.start.map((v, i, all) => (i === all.length - 1 ? v + 7 : v)) } }), /corrupt index ranges/],
    ['a title naming a document that is not there', (index) => ({ ...index, titles: new Map([...index.titles, ['bridge', [99]]]) }), /corrupt title index/],
  ];

  it.each(badIndexes)('%s: ignored with one warning, rebuilt, answers right', async (_name, spoil, reason) => {
    await ageFiles();
    const load = await warmLoad();
    await cache.write(load.source, { ...load, index: spoil(load.index!) });
    const { library, report } = await ArticleLibrary.open({ sourcesPath: dir, cache });
    expect(report).toMatchObject({ ok: true, analysedFiles: 5 });
    expect(warnings).toEqual([expect.stringMatching(reason)]);
    const { library: none } = await ArticleLibrary.open({ sourcesPath: dir });
    expect(await answers(library)).toEqual(await answers(none));
    await cache.settled();
    const again = await loadIncrementally(dir, { cache });
    expect(again).toMatchObject({ analysed: 0, fromCache: 5 });
    expect(again.index).toEqual(SentenceIndex.fromAnalysis(again.documents, again.analysis).builtIndex());
    expect(warnings).toHaveLength(1);
  });
});

function withPostings(index: BuiltIndex, edit: (sentence: Int32Array, start: Int32Array) => void): BuiltIndex {
  const sentence = index.postings.sentence.slice();
  edit(sentence, index.postings.start);
  return { ...index, postings: { ...index.postings, sentence } };
}

/** The first term with at least `count` postings. */
function firstTermWith(start: Int32Array, count: number): number {
  for (let term = 0; term + 1 < start.length; term++) if (start[term + 1]! - start[term]! >= count) return term;
  throw new Error(`no term has ${count} postings`);
}

describe('analysis cache: stats and clear', () => {
  it('lists what each file holds and removes them all', async () => {
    const load = await loadIncrementally(dir, { cache });
    await cache.write(load.source, load);
    const [stats] = cache.stats();
    expect(stats).toMatchObject({ source: dir, documents: 4, sentences: load.analysis.sentenceDoc.length });
    expect(stats?.bytes).toBeGreaterThan(0);
    expect(cache.clear()).toBe(1);
    expect(cache.stats()).toEqual([]);
  });
});

describe('analysis cache: two processes sharing DATA_DIR', () => {
  /** Runs tests/sources/support/cache-writer.ts: loads, answers, changes its own file, over and over. */
  function writer(name: string, rounds: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'tests/sources/support/cache-writer.ts'), dir, cache.dir, name, String(rounds)], { cwd: REPO });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('never corrupt the cache, and each always serves exactly its folder', async () => {
    for (let n = 0; n < 60; n++) await writeFile(join(dir, `filler-${n}.txt`), `Filler story ${n} about harbour cranes and ${n} boxes.`);
    const [a, b] = await Promise.all([writer('a', 15), writer('b', 15)]);
    for (const run of [a, b]) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split('\n')).toHaveLength(15);
    }
    // Whatever was written last is whole and holds the folder as it is now.
    const load = await loadIncrementally(dir, { cache });
    expect(warnings).toEqual([]);
    await expectSameAsFresh(load);
    expect(load.fromCache).toBeGreaterThan(0);
  }, 120_000);
});

describe('a reload or an add analyses only the new titles', () => {
  it('gives the title map a fresh build gives, after a change, an add, a removal and a rename', async () => {
    await ageFiles();
    const { library } = await ArticleLibrary.open({ sourcesPath: dir });
    const titlesNow = async () => {
      const fresh = await freshLoad();
      expect(library.documents()).toEqual(fresh.documents);
      return SentenceIndex.fromAnalysis(fresh.documents, fresh.analysis).builtIndex().titles;
    };
    const served = () => (library as unknown as { snapshot: { engine: { index: SentenceIndex } } }).snapshot.engine.index.builtIndex().titles;
    await writeFile(join(dir, 'bridge.txt'), '---\ntitle: Bridge closes again\n---\nThe old bridge closed again on Monday.');
    await writeFile(join(dir, 'aardvark.txt'), '---\ntitle: Aardvark seen near the bridge\n---\nAn aardvark crossed the road.');
    await rm(join(dir, 'ferry.txt'));
    await library.reload();
    expect(sorted(served())).toEqual(sorted(await titlesNow()));
    await library.addSource({ text: 'Penguins marched across the frozen lake.', format: 'text', metadata: { title: 'Penguins on the bridge' }, addedBy: { id: '1', tag: 't' } });
    expect(sorted(served())).toEqual(sorted(await titlesNow()));
  });
});

/** A title map with its terms in order, so two maps compare by content alone. */
function sorted(titles: Map<string, number[]>): [string, number[]][] {
  return [...titles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
