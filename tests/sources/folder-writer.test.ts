import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chooseStem,
  isPlainFileName,
  MAX_STEM_LENGTH,
  slugFromFileName,
  slugFromUrl,
  slugify,
  SourceChangeError,
  FolderWriter,
  TRASH_FOLDER,
  uniqueName,
} from '../../src/sources/folder-writer';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qa-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const failing = (code: string) => () => Promise.reject(Object.assign(new Error(`${code}: injected`), { code }));

describe('safe file names', () => {
  it('turns a path-traversal attempt into a plain stem', () => {
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
    expect(slugFromFileName('../../etc/passwd')).toBe('passwd');
    expect(slugFromFileName('..\\..\\windows\\evil.md')).toBe('evil');
    expect(isPlainFileName('../x.md')).toBe(false);
    expect(isPlainFileName('..')).toBe(false);
  });

  it('drops control characters, accents and punctuation', () => {
    expect(slugify('Breaking\u0000news\u0007\r\n\u202eevil')).toBe('breaking-news-evil');
    expect(slugify('Café owners protest: “Rent is 40% up!”')).toBe('cafe-owners-protest-rent-is-40-up');
    expect(isPlainFileName('bad\u0007name.md')).toBe(false);
  });

  it('cuts a long title at a word', () => {
    expect(slugify('Harbor City council approves $48m budget after late-night session')).toBe('harbor-city-council-approves-48m-budget-after-late-night');
  });

  it('limits the length without leaving a trailing hyphen', () => {
    const stem = slugify(`${'word '.repeat(40)}end`);
    expect(stem.length).toBeLessThanOrEqual(MAX_STEM_LENGTH);
    expect(stem).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it('names from a url by host and path', () => {
    expect(slugFromUrl('https://www.example.com/news/2024/03/council-budget.html?utm=x#top')).toBe('example-com-news-2024-03-council-budget');
  });

  it('falls back to "article" when nothing usable is left, and avoids device names', () => {
    expect(chooseStem([slugify('📰 🗞️'), undefined, ''])).toBe('article');
    expect(chooseStem([slugify('CON'), 'con-report'])).toBe('con-report');
  });

  it('gives a clash the suffix -2, -3, ignoring letter case', () => {
    expect(uniqueName('budget', '.md', [])).toBe('budget.md');
    expect(uniqueName('budget', '.md', ['Budget.md', 'budget-2.md'])).toBe('budget-3.md');
  });

  it('finds a free name against the files on disk and the given ids', async () => {
    await writeFile(join(dir, 'budget.md'), 'x');
    const store = new FolderWriter(dir);
    expect(await store.freeName('budget', '.md')).toBe('budget-2.md');
    expect(await store.freeName('budget', '.md', ['budget-2.md'])).toBe('budget-3.md');
  });
});

describe('writing', () => {
  it('writes the whole file through a temp file and leaves no temp file behind', async () => {
    const store = new FolderWriter(dir);
    await store.write('story.md', 'First version.\n');
    await store.write('story.md', 'Second version.\n');
    expect(await readFile(join(dir, 'story.md'), 'utf8')).toBe('Second version.\n');
    expect(await readdir(dir)).toEqual(['story.md']);
  });

  it('removes the temp file and keeps the old file when the rename fails', async () => {
    await writeFile(join(dir, 'story.md'), 'Old.\n');
    const store = new FolderWriter(dir, { fileSystem: { rename: failing('EIO') } });
    const error = await store.write('story.md', 'New.\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceChangeError);
    expect((error as SourceChangeError).reason).toMatch(/^could not save story\.md: /);
    expect(await readdir(dir)).toEqual(['story.md']);
    expect(await readFile(join(dir, 'story.md'), 'utf8')).toBe('Old.\n');
  });

  it('refuses names outside the folder', async () => {
    const store = new FolderWriter(dir);
    await expect(store.write('../escape.md', 'x')).rejects.toBeInstanceOf(SourceChangeError);
    await expect(store.write('.hidden.md', 'x')).rejects.toBeInstanceOf(SourceChangeError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a missing folder or a single file as SOURCES_DIR', async () => {
    await expect(new FolderWriter(join(dir, 'missing')).assertFolder()).rejects.toThrow(/cannot use the sources folder: it does not exist/);
    await writeFile(join(dir, 'one.txt'), 'x');
    await expect(new FolderWriter(join(dir, 'one.txt')).assertFolder()).rejects.toThrow(/single file/);
  });
});

describe('trash', () => {
  it('moves a file into .trash/ under a time-stamped name', async () => {
    await writeFile(join(dir, 'story.md'), 'Keep me.\n');
    const store = new FolderWriter(dir, { now: () => Date.parse('2024-05-01T12:00:00Z') });
    const trashed = await store.trash('story.md');
    expect(trashed).toBe('2024-05-01T12-00-00-000Z-story.md');
    expect(await readdir(dir)).toEqual([TRASH_FOLDER]);
    expect(await readFile(join(dir, TRASH_FOLDER, trashed), 'utf8')).toBe('Keep me.\n');
  });

  it('never overwrites an earlier trashed file', async () => {
    const store = new FolderWriter(dir, { now: () => 0 });
    await writeFile(join(dir, 'a.md'), 'one');
    const first = await store.trash('a.md');
    await writeFile(join(dir, 'a.md'), 'two');
    const second = await store.trash('a.md');
    expect(second).not.toBe(first);
    expect((await readdir(join(dir, TRASH_FOLDER))).sort()).toEqual([first, second].sort());
  });

  it('leaves the file where it was when .trash cannot be made', async () => {
    await writeFile(join(dir, 'story.md'), 'Still here.\n');
    await writeFile(join(dir, TRASH_FOLDER), 'a file in the way');
    const error = await new FolderWriter(dir).trash('story.md').catch((e: unknown) => e);
    expect((error as SourceChangeError).reason).toMatch(/^could not move story\.md to \.trash\/: /);
    expect(await readFile(join(dir, 'story.md'), 'utf8')).toBe('Still here.\n');
  });
});

describe('own changes', () => {
  it('remembers the names it wrote or moved for a short while', async () => {
    let now = 1_000_000;
    const store = new FolderWriter(dir, { now: () => now });
    await store.write('mine.md', 'x');
    expect(store.isOwnChange('mine.md')).toBe(true);
    expect(store.isOwnChange('theirs.md')).toBe(false);
    now += 60_000;
    expect(store.isOwnChange('mine.md')).toBe(false);
  });
});
