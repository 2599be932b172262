import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArticleLibrary, rankSources } from '../../src/sources/library';
import type { SourceInfo } from '../../src/engine/types';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qa-library-'));
  await writeFile(join(dir, 'bridge.txt'), 'The old bridge reopened on Friday after repairs.');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ArticleLibrary', () => {
  it('answers from what it loaded', async () => {
    const { library, report } = await ArticleLibrary.open({ sourcesPath: dir });
    expect(report).toMatchObject({ ok: true, after: { sources: 1, sentences: 1 }, skipped: [] });
    expect(library.ask('When did the bridge reopen?').hits[0]?.source).toBe('bridge.txt');
  });

  it('picks up a new file on reload and reports counts before and after', async () => {
    const { library } = await ArticleLibrary.open({ sourcesPath: dir });
    await writeFile(join(dir, 'zoo.txt'), 'A panda was born at the city zoo. Keepers named it Bao.');
    await writeFile(join(dir, 'bad.txt'), '');
    const report = await library.reload();
    expect(report).toMatchObject({ ok: true, before: { sources: 1, sentences: 1 }, after: { sources: 2, sentences: 3 } });
    expect(report.skipped).toEqual([{ file: 'bad.txt', reason: 'the file is empty' }]);
    expect(library.ask('What was born at the zoo?').hits[0]?.source).toBe('zoo.txt');
  });

  it('keeps the old index serving when the folder has gone', async () => {
    const { library } = await ArticleLibrary.open({ sourcesPath: dir });
    await rm(dir, { recursive: true });
    const report = await library.reload();
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/does not exist/);
    expect(report.after).toEqual(report.before);
    expect(library.ask('When did the bridge reopen?').answered).toBe(true);
  });

  it('shares one build between concurrent reloads', async () => {
    const { library } = await ArticleLibrary.open({ sourcesPath: dir });
    const [first, second] = [library.reload(), library.reload()];
    expect(first).toBe(second);
    await first;
    expect(library.reload()).not.toBe(first);
  });

  it('keeps "loaded at" for unchanged sources and renews it for changed ones', async () => {
    let clock = new Date('2024-01-01T00:00:00Z');
    const { library } = await ArticleLibrary.open({ sourcesPath: dir, now: () => clock });
    await writeFile(join(dir, 'zoo.txt'), 'A panda was born.');
    clock = new Date('2024-01-02T00:00:00Z');
    await library.reload();
    const times = Object.fromEntries(library.sources().map((s) => [s.id, s.loadedAt.toISOString()]));
    expect(times).toEqual({ 'bridge.txt': '2024-01-01T00:00:00.000Z', 'zoo.txt': '2024-01-02T00:00:00.000Z' });
  });
});

describe('reloading while serving', () => {
  it('answers questions between the steps of a reload, and then from the new set', async () => {
    for (let n = 0; n < 40; n++) await writeFile(join(dir, `n${n}.txt`), `Story ${n} tells of harbour number ${n}. The crane lifted boxes.`);
    const { library } = await ArticleLibrary.open({ sourcesPath: dir, sliceBudgetMs: 0 });
    await writeFile(join(dir, 'zoo.txt'), 'A panda was born at the city zoo. Keepers named it Bao.');
    const during: boolean[] = [];
    let reloading = true;
    const askMeanwhile = () => {
      if (!reloading) return;
      // Mid-reload the old set answers: the zoo is not in it yet.
      during.push(library.ask('What was born at the zoo?').hits[0]?.source === 'zoo.txt');
      setImmediate(askMeanwhile);
    };
    setImmediate(askMeanwhile);
    const report = await library.reload();
    reloading = false;
    expect(report).toMatchObject({ ok: true, analysedFiles: 1 });
    expect(during.length).toBeGreaterThan(10);
    expect(during.every((found) => !found)).toBe(true);
    expect(library.ask('What was born at the zoo?').hits[0]?.source).toBe('zoo.txt');
  });

  it('keeps the old set serving when the folder has gone', async () => {
    const { library } = await ArticleLibrary.open({ sourcesPath: dir, sliceBudgetMs: 0 });
    await rm(dir, { recursive: true });
    const report = await library.reload();
    expect(report).toMatchObject({ ok: false, error: expect.stringMatching(/does not exist/) });
    expect(library.ask('When did the bridge reopen?').answered).toBe(true);
  });
});

describe('rankSources', () => {
  const source = (id: string, title: string): SourceInfo => ({ id, title, sentences: 1, loadedAt: new Date(0) });
  const sources = [source('floods.md', 'River floods force thousands out'), source('vote.txt', 'Halden elects a new mayor'), source('x.txt', 'Flood insurance costs rise')];

  it('ranks exact id, then prefixes, then words, then substrings', () => {
    expect(rankSources(sources, 'flood').map((s) => s.id)).toEqual(['x.txt', 'floods.md']);
    expect(rankSources(sources, 'thousands').map((s) => s.id)).toEqual(['floods.md']);
    expect(rankSources(sources, 'mayor').map((s) => s.id)).toEqual(['vote.txt']);
    expect(rankSources(sources, 'vote.txt').map((s) => s.id)).toEqual(['vote.txt']);
  });

  it('lists everything by title for an empty query', () => {
    expect(rankSources(sources, ' ').map((s) => s.id)).toEqual(['x.txt', 'vote.txt', 'floods.md']);
  });
});
