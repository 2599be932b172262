/**
 * Large articles are read on a worker within a time budget (issue 15): one that takes longer is refused
 * with its reason, nothing is saved and nothing else changes; on a reload it is skipped with the reason.
 * A budget of a few milliseconds stands in for an article that would take too long.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceFormatError } from '../../src/sources/formats/errors';
import { ArticleLibrary } from '../../src/sources/library';
import { readSourceText } from '../../src/sources/read-budget';

const moderator = { id: '1', tag: 'mod#0001' };
const article = (topic: string) => `${topic} reopened on Friday after two years of repairs.\n\nThe council paid for the work.`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qa-budget-'));
  await writeFile(join(dir, 'bridge.txt'), article('The old bridge'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('reading within a time budget', () => {
  it('reads a large article on the worker into the same document as on this thread', async () => {
    const text = article('The harbour wall').repeat(2_000);
    const here = await readSourceText('wall.txt', text, 'text', { offThreadFrom: Infinity });
    const worker = await readSourceText('wall.txt', text, 'text', { offThreadFrom: 0 });
    expect(worker).toEqual(here);
    expect(worker.sentences.length).toBeGreaterThan(500);
  });

  it('refuses an article that takes longer than the budget, with the reason, and reads the next one', async () => {
    const text = article('The harbour wall').repeat(20_000);
    await expect(readSourceText('wall.txt', text, 'text', { offThreadFrom: 0, budgetMs: 2 })).rejects.toEqual(
      new SourceFormatError('reading it took longer than 2 ms, the limit for one article'),
    );
    // A fresh worker serves the next article.
    expect((await readSourceText('bridge.txt', article('The bridge'), 'text', { offThreadFrom: 0 })).sentences).toHaveLength(2);
  });

  it('refuses such an article in /source add: nothing saved, the index unchanged', async () => {
    const { library } = await ArticleLibrary.open({ sourcesPath: dir, readBudget: { offThreadFrom: 200_000, budgetMs: 2 } });
    const before = library.counts();
    const add = library.addSource({ text: article('The harbour wall').repeat(20_000), format: 'text', addedBy: moderator });
    await expect(add).rejects.toMatchObject({ reason: 'reading it took longer than 2 ms, the limit for one article' });
    expect(library.counts()).toEqual(before);
    expect(await readdir(dir)).toEqual(['bridge.txt']);
    // A small article is still added.
    await library.addSource({ text: article('The zoo'), format: 'text', addedBy: moderator });
    expect(library.counts().sources).toBe(2);
  });

  it('skips such a file on reload with its reason and loads the rest', async () => {
    const { library } = await ArticleLibrary.open({ sourcesPath: dir, readBudget: { offThreadFrom: 200_000, budgetMs: 2 } });
    await writeFile(join(dir, 'wall.txt'), article('The harbour wall').repeat(20_000));
    const report = await library.reload();
    expect(report.ok).toBe(true);
    expect(report.skipped).toEqual([{ file: 'wall.txt', reason: 'reading it took longer than 2 ms, the limit for one article' }]);
    expect(library.sources().map((source) => source.id)).toEqual(['bridge.txt']);
  });
});
