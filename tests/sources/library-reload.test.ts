/**
 * Reloads, adds and removes patch the served index (src/engine/index-patch.ts) instead of building it
 * again: after each, the library answers, summarises and holds what a library freshly opened on the same
 * folder does (the same sentences and postings per term, under the served set's term ids), with and
 * without the analysis cache; and a patch that fails leaves the old set
 * serving, answering as before, and the folder as it was.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SentenceIndex } from '../../src/engine/sentence-index';
import { AnalysisCache } from '../../src/sources/analysis-cache';
import { ArticleLibrary } from '../../src/sources/library';
import { fixtureDocuments } from '../engine/fixtures';
import { postingsByTerm, sentencesOf } from '../engine/same-index';

/** Counts the patches made, and makes the next ones fail when asked to. */
const patches = vi.hoisted(() => ({ made: 0, fail: false }));
vi.mock('../../src/engine/index-patch', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/engine/index-patch')>();
  return {
    ...actual,
    *patchAnalysis(...args: Parameters<typeof actual.patchAnalysis>): ReturnType<typeof actual.patchAnalysis> {
      patches.made++;
      if (patches.fail) {
        yield;
        throw new Error('the patch failed halfway');
      }
      return yield* actual.patchAnalysis(...args);
    },
  };
});

const QUESTIONS = [
  'Where was the first meeting held?',
  'How many people were evacuated?',
  'Who won the election?',
  'When will the vaccine be available?',
  'What did the crane lift in harbour 7?',
  'What was born at the zoo?',
  'Which ship sank near the lighthouse?',
];

let dir: string;
let data: string;
const MODERATOR = { id: '300000000000000003', tag: 'mod_anna' };

beforeEach(async () => {
  patches.made = 0;
  patches.fail = false;
  dir = await mkdtemp(join(tmpdir(), 'qa-reload-'));
  data = await mkdtemp(join(tmpdir(), 'qa-reload-data-'));
  for (const document of fixtureDocuments()) await writeFile(join(dir, document.id), document.sentences.join('\n\n'));
  for (let n = 0; n < 30; n++) {
    await writeFile(join(dir, `harbour-${String(n).padStart(2, '0')}.txt`), `Crane ${n} lifted ${n * 3} boxes in harbour ${n} on Monday.\n\nThe dockers of harbour ${n} said the work went well.`);
  }
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(data, { recursive: true, force: true });
});

function served(library: ArticleLibrary): SentenceIndex {
  return (library as unknown as { snapshot: { engine: { index: SentenceIndex } } }).snapshot.engine.index;
}

function sortedTitles(index: SentenceIndex): [string, number[]][] {
  return [...index.builtIndex().titles].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function answersOf(library: ArticleLibrary) {
  const first = library.sources()[0]?.id;
  return QUESTIONS.flatMap((question) => [library.ask(question), ...(first === undefined ? [] : [library.ask(question, { source: first })])]);
}

/** Everything a user or the cache can see of the served set equals what a library opened afresh on the folder has. */
async function expectSameAsFresh(library: ArticleLibrary): Promise<void> {
  const { library: fresh } = await ArticleLibrary.open({ sourcesPath: dir });
  expect(library.documents()).toEqual(fresh.documents());
  expect(answersOf(library)).toEqual(answersOf(fresh));
  expect(library.summarize()).toEqual(fresh.summarize());
  // The same sentences and, per term, the same postings; a patch keeps the served term ids, so not the same numbering.
  expect(sentencesOf(served(library).analysis())).toEqual(sentencesOf(served(fresh).analysis()));
  expect(postingsByTerm(served(library).analysis(), served(library).builtIndex().postings)).toEqual(postingsByTerm(served(fresh).analysis(), served(fresh).builtIndex().postings));
  expect(sortedTitles(served(library))).toEqual(sortedTitles(served(fresh)));
  expect(served(library).averageLength).toBe(served(fresh).averageLength);
}

describe('a reload patches the served index', () => {
  it('after a change, an add and a removal: the same answers, scores and index as a fresh build', async () => {
    const { library } = await ArticleLibrary.open({ sourcesPath: dir });
    await writeFile(join(dir, 'harbour-07.txt'), 'Crane 7 lifted a rusty anchor in harbour 7.\n\nThe anchor weighed four tonnes.');
    await writeFile(join(dir, 'harbour-12b.txt'), 'The ferry Aurora sank near the lighthouse in a storm.');
    await rm(join(dir, 'harbour-20.txt'));
    const report = await library.reload();
    expect(report).toMatchObject({ ok: true, analysedFiles: 2, changed: true });
    expect(patches.made).toBe(1);
    await expectSameAsFresh(library);
    expect(library.ask('Which ship sank near the lighthouse?').hits[0]?.source).toBe('harbour-12b.txt');
  });

  it('after /source add and /source remove: the same as a fresh build', async () => {
    const { library } = await ArticleLibrary.open({ sourcesPath: dir });
    await library.addSource({ text: 'A panda cub was born at the city zoo on Tuesday. Keepers named it Bao.', format: 'text', metadata: { title: 'Panda cub born' }, addedBy: MODERATOR });
    expect(patches.made).toBe(1);
    await expectSameAsFresh(library);
    await library.removeSource('harbour-03.txt', MODERATOR);
    expect(patches.made).toBe(2);
    await expectSameAsFresh(library);
  });

  it('after /source add, the next reload finds nothing changed: the added file is known by its hash', async () => {
    const { library } = await ArticleLibrary.open({ sourcesPath: dir });
    await library.addSource({ text: 'A panda cub was born at the city zoo on Tuesday. Keepers named it Bao.', format: 'text', metadata: { title: 'Panda cub born' }, addedBy: MODERATOR });
    const served = library.documents();
    const report = await library.reload();
    expect(report).toMatchObject({ ok: true, changed: false, analysedFiles: 0 });
    expect(library.documents()).toEqual(served);
    await expectSameAsFresh(library);
    // A real change to that file afterwards is still seen.
    const added = served.find((document) => document.title === 'Panda cub born')!;
    await writeFile(join(dir, added.id), 'A panda cub was born at the city zoo on Wednesday.');
    expect(await library.reload()).toMatchObject({ ok: true, changed: true, analysedFiles: 1 });
  });

  it('with the analysis cache: the patched index is what the cache keeps, and a restart serves it unchanged', async () => {
    const cache = new AnalysisCache({ dir: join(data, 'cache') });
    const { library } = await ArticleLibrary.open({ sourcesPath: dir, cache });
    await cache.settled();
    await writeFile(join(dir, 'harbour-07.txt'), 'Crane 7 lifted a rusty anchor in harbour 7.');
    expect(await library.reload()).toMatchObject({ ok: true, analysedFiles: 1 });
    expect(patches.made).toBe(1);
    await expectSameAsFresh(library);
    await cache.settled();
    const { library: restarted, report } = await ArticleLibrary.open({ sourcesPath: dir, cache: new AnalysisCache({ dir: cache.dir }) });
    expect(report).toMatchObject({ ok: true, analysedFiles: 0 });
    await expectSameAsFresh(restarted);
    // The cache kept the patched index as it was served, term ids and all.
    expect(served(restarted).analysis()).toEqual(served(library).analysis());
    expect(served(restarted).builtIndex().postings).toEqual(served(library).builtIndex().postings);
  });
});

describe('a reload while serving reads the disk cache only when many files changed', () => {
  /** Another process (a shard, the CLI) that already analysed the folder as it is now and wrote the cache. */
  async function cacheWrittenByAnother(cacheDir: string): Promise<void> {
    const other = new AnalysisCache({ dir: cacheDir });
    await ArticleLibrary.open({ sourcesPath: dir, cache: other });
    await other.settled();
  }

  it('one changed file is analysed, not looked up in the cache (reading it decodes every file it holds)', async () => {
    const cache = new AnalysisCache({ dir: join(data, 'cache') });
    const { library } = await ArticleLibrary.open({ sourcesPath: dir, cache });
    await cache.settled();
    await writeFile(join(dir, 'harbour-07.txt'), 'Crane 7 lifted a rusty anchor in harbour 7.');
    await cacheWrittenByAnother(cache.dir);
    const read = vi.spyOn(cache, 'read');
    expect(await library.reload()).toMatchObject({ ok: true, analysedFiles: 1 });
    expect(read).not.toHaveBeenCalled();
    await expectSameAsFresh(library);
  });

  it('past 16 changed files the cache is read once and the rest come from it', async () => {
    const cache = new AnalysisCache({ dir: join(data, 'cache') });
    const { library } = await ArticleLibrary.open({ sourcesPath: dir, cache });
    await cache.settled();
    for (let n = 0; n < 24; n++) await writeFile(join(dir, `harbour-${String(n).padStart(2, '0')}.txt`), `Crane ${n} lifted a rusty anchor in harbour ${n}.`);
    await cacheWrittenByAnother(cache.dir);
    const read = vi.spyOn(cache, 'read');
    expect(await library.reload()).toMatchObject({ ok: true, analysedFiles: 16 });
    expect(read).toHaveBeenCalledTimes(1);
    await expectSameAsFresh(library);
  });
});

describe('a patch that fails', () => {
  it('leaves the old set serving and answering as before; the next reload brings the change', async () => {
    const { library } = await ArticleLibrary.open({ sourcesPath: dir });
    const before = answersOf(library);
    const generation = library.generation;
    await writeFile(join(dir, 'harbour-07.txt'), 'Crane 7 lifted a rusty anchor in harbour 7.');
    patches.fail = true;
    const report = await library.reload();
    expect(report).toMatchObject({ ok: false, error: 'the patch failed halfway' });
    expect(report.after).toEqual(report.before);
    expect(library.generation).toBe(generation);
    expect(answersOf(library)).toEqual(before);
    patches.fail = false;
    expect(await library.reload()).toMatchObject({ ok: true, analysedFiles: 1 });
    await expectSameAsFresh(library);
  });

  it('refuses an add and leaves the folder and the served set as they were', async () => {
    const { library } = await ArticleLibrary.open({ sourcesPath: dir });
    const before = answersOf(library);
    const files = (await readdir(dir)).sort();
    patches.fail = true;
    await expect(library.addSource({ text: 'A panda cub was born at the zoo.', format: 'text', metadata: { title: 'Panda' }, addedBy: MODERATOR })).rejects.toThrow('the patch failed halfway');
    expect((await readdir(dir)).sort()).toEqual(files);
    expect(answersOf(library)).toEqual(before);
    await expectSameAsFresh(library);
  });
});
