/** ArticleLibrary.addSource / removeSource on real files in a temp folder. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceFormatError } from '../../src/sources/formats/errors';
import { ArticleLibrary, type LibraryOptions } from '../../src/sources/library';
import { UnknownSourceError, type NewSource } from '../../src/sources/library-types';
import { SourceChangeError, TRASH_FOLDER } from '../../src/sources/folder-writer';
import { memoryLogger } from '../discord/fakes';

const MODERATOR = { id: '300000000000000003', tag: 'mod_anna' };
const ZOO_URL = 'https://news.example/zoo-panda';

const zoo = (text = 'A panda cub was born at the city zoo on Tuesday. Keepers named the cub Bao.'): NewSource => ({
  text,
  format: 'text',
  metadata: { title: 'Panda cub born at city zoo', url: ZOO_URL, fetched: '2024-05-01T12:00:00.000Z' },
  addedBy: MODERATOR,
});

let dir: string;
let log: ReturnType<typeof memoryLogger>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qa-library-sources-'));
  await writeFile(join(dir, 'bridge.txt'), 'The old bridge reopened on Friday after repairs.');
  log = memoryLogger();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function open(options: Partial<LibraryOptions> = {}): Promise<ArticleLibrary> {
  return (await ArticleLibrary.open({ sourcesPath: dir, logger: log.logger, ...options })).library;
}

const ids = (library: ArticleLibrary) => library.sources().map((s) => s.id);
const answeredFrom = (library: ArticleLibrary, question: string) => {
  const answer = library.ask(question);
  return answer.answered ? answer.hits[0]?.source : undefined;
};

describe('addSource', () => {
  it('saves a Markdown file with front matter and answers from it at once', async () => {
    const library = await open();
    const added = await library.addSource(zoo());
    expect(added).toMatchObject({ replaced: false, source: { id: 'panda-cub-born-at-city-zoo.md', title: 'Panda cub born at city zoo', url: ZOO_URL, sentences: 2 } });
    expect(added.firstSentences).toEqual(['A panda cub was born at the city zoo on Tuesday.', 'Keepers named the cub Bao.']);
    expect(answeredFrom(library, 'What was born at the zoo?')).toBe('panda-cub-born-at-city-zoo.md');

    const saved = await readFile(join(dir, added.source.id), 'utf8');
    expect(saved).toMatch(/^---\ntitle: "Panda cub born at city zoo"\nurl: "https:\/\/news\.example\/zoo-panda"\nfetched: "2024-05-01T12:00:00\.000Z"\n---\n/);
    expect((await readdir(dir)).sort()).toEqual(['bridge.txt', 'panda-cub-born-at-city-zoo.md']);
  });

  it('indexes exactly what a later reload reads', async () => {
    const library = await open();
    await library.addSource(zoo());
    const before = { documents: library.documents(), sources: library.sources() };
    const report = await library.reload();
    expect(report).toMatchObject({ ok: true, skipped: [] });
    expect(library.documents()).toEqual(before.documents);
    expect(library.sources()).toEqual(before.sources);
  });

  it('updates the source with the same url instead of adding another', async () => {
    const library = await open();
    const first = await library.addSource(zoo());
    const second = await library.addSource(zoo('The zoo said on Wednesday that the panda cub, Bao, is healthy and weighs 200 grams.'));
    expect(second).toMatchObject({ replaced: true, source: { id: first.source.id, sentences: 1 } });
    expect(ids(library)).toEqual(['bridge.txt', first.source.id]);
    expect((await readdir(dir)).sort()).toEqual(['bridge.txt', first.source.id]);
    expect(library.ask('How much does the cub weigh?').hits[0]?.text).toContain('200 grams');
  });

  it('replaces a hand-made file with the same url by a saved one, trashing the old', async () => {
    await writeFile(join(dir, 'zoo.txt'), `---\nurl: ${ZOO_URL}\n---\nAn old note about the zoo.`);
    const library = await open();
    const added = await library.addSource(zoo());
    expect(added.replaced).toBe(true);
    expect(ids(library)).toEqual(['bridge.txt', 'panda-cub-born-at-city-zoo.md']);
    expect(await readdir(join(dir, TRASH_FOLDER))).toEqual([expect.stringMatching(/-zoo\.txt$/)]);
  });

  it('gives a clashing title the next free name', async () => {
    await writeFile(join(dir, 'panda-cub-born-at-city-zoo.md'), 'A different article that happens to have this name.');
    const library = await open();
    const added = await library.addSource(zoo());
    expect(added.source.id).toBe('panda-cub-born-at-city-zoo-2.md');
    expect(await readFile(join(dir, 'panda-cub-born-at-city-zoo.md'), 'utf8')).toBe('A different article that happens to have this name.');
  });

  it('logs who added it', async () => {
    const library = await open();
    await library.addSource(zoo());
    expect(log.lines.find((l) => l.msg === 'source added')).toMatchObject({ userId: MODERATOR.id, userTag: MODERATOR.tag, source: 'panda-cub-born-at-city-zoo.md', url: ZOO_URL });
  });
});

describe('a failed add leaves disk and index as they were', () => {
  async function expectUnchanged(library: ArticleLibrary, files: string[]): Promise<void> {
    expect(ids(library)).toEqual(['bridge.txt']);
    expect(answeredFrom(library, 'What was born at the zoo?')).toBeUndefined();
    expect((await readdir(dir)).sort()).toEqual(files);
  }

  it('when the text has no article in it', async () => {
    const library = await open();
    const error = await library.addSource(zoo('   \n\n  ')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceFormatError);
    expect((error as SourceFormatError).reason).toBe('no article text left after extraction');
    await expectUnchanged(library, ['bridge.txt']);
    expect(log.lines.find((l) => l.msg === 'adding a source failed; nothing changed')).toMatchObject({ userId: MODERATOR.id, url: ZOO_URL });
  });

  it('when the file cannot be saved (no temp file is left either)', async () => {
    const rename = () => Promise.reject(Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' }));
    const library = await open({ fileSystem: { rename } });
    const error = await library.addSource(zoo()).catch((e: unknown) => e);
    expect((error as SourceChangeError).reason).toMatch(/could not save panda-cub-born-at-city-zoo\.md: the file system is read-only/);
    await expectUnchanged(library, ['bridge.txt']);
  });

  it('when the folder has gone', async () => {
    const library = await open();
    await rm(dir, { recursive: true });
    await expect(library.addSource(zoo())).rejects.toThrow(/cannot use the sources folder: it does not exist/);
    expect(ids(library)).toEqual(['bridge.txt']);
  });

  it('when the old version cannot be trashed, the new file is removed again', async () => {
    await writeFile(join(dir, 'zoo.txt'), `---\nurl: ${ZOO_URL}\n---\nAn old note about the zoo.`);
    await writeFile(join(dir, TRASH_FOLDER), 'a file where the trash folder should be');
    const library = await open();
    await expect(library.addSource(zoo())).rejects.toBeInstanceOf(SourceChangeError);
    expect(ids(library)).toEqual(['bridge.txt', 'zoo.txt']);
    expect((await readdir(dir)).sort()).toEqual([TRASH_FOLDER, 'bridge.txt', 'zoo.txt']);
  });
});

describe('removeSource', () => {
  it('moves the file to .trash/ and stops answering from it', async () => {
    const library = await open();
    const { source } = await library.addSource(zoo());
    const removed = await library.removeSource(source.id, MODERATOR);
    expect(removed).toMatchObject({ id: source.id, title: 'Panda cub born at city zoo' });
    expect(ids(library)).toEqual(['bridge.txt']);
    expect(answeredFrom(library, 'What was born at the zoo?')).toBeUndefined();
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['bridge.txt', TRASH_FOLDER]));
    expect(await readdir(join(dir, TRASH_FOLDER))).toEqual([expect.stringMatching(/-panda-cub-born-at-city-zoo\.md$/)]);
    expect(log.lines.find((l) => l.msg === 'source removed')).toMatchObject({ userId: MODERATOR.id, userTag: MODERATOR.tag, source: source.id });
    // A reload agrees: the trash is not read.
    expect((await library.reload()).after.sources).toBe(1);
  });

  it('rejects an id that is not loaded', async () => {
    const library = await open();
    await expect(library.removeSource('../bridge.txt', MODERATOR)).rejects.toBeInstanceOf(UnknownSourceError);
    expect(await readdir(dir)).toEqual(['bridge.txt']);
  });

  it('keeps the index when the file cannot be moved to the trash', async () => {
    await writeFile(join(dir, TRASH_FOLDER), 'a file where the trash folder should be');
    const library = await open();
    const error = await library.removeSource('bridge.txt', MODERATOR).catch((e: unknown) => e);
    expect((error as SourceChangeError).reason).toMatch(/^could not move bridge\.txt to \.trash\//);
    expect(answeredFrom(library, 'When did the bridge reopen?')).toBe('bridge.txt');
    expect((await readdir(dir)).sort()).toEqual([TRASH_FOLDER, 'bridge.txt']);
  });
});

describe('one change at a time', () => {
  it('an add waits for a reload in progress, so the reload cannot undo it', async () => {
    const library = await open();
    const finished: string[] = [];
    const reload = library.reload().then(() => finished.push('reload'));
    const add = library.addSource(zoo()).then(() => finished.push('add'));
    await Promise.all([reload, add]);
    expect(finished).toEqual(['reload', 'add']);
    expect(ids(library)).toEqual(['bridge.txt', 'panda-cub-born-at-city-zoo.md']);
  });

  it('a reload asked for after an add runs after it and sees its file', async () => {
    const library = await open();
    const add = library.addSource(zoo());
    const reload = library.reload();
    expect((await reload).after.sources).toBe(2);
    expect((await add).source.id).toBe('panda-cub-born-at-city-zoo.md');
  });

  it('cannot add to or remove from a single-file SOURCES_DIR', async () => {
    const library = await open({ sourcesPath: join(dir, 'bridge.txt') });
    await expect(library.addSource(zoo())).rejects.toThrow(/single file/);
    await expect(library.removeSource('bridge.txt', MODERATOR)).rejects.toThrow(/single file/);
    expect(ids(library)).toEqual(['bridge.txt']);
  });
});
