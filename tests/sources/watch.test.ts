/** SOURCES_WATCH on a real temp folder: every test waits for the watcher's own callback, never on a timer. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArticleLibrary } from '../../src/sources/library';
import type { ReloadReport } from '../../src/sources/library-types';
import { isIgnoredName, startAutoReload, watchFolder } from '../../src/sources/watch';
import { memoryLogger } from '../discord/fakes';

const DEBOUNCE_MS = 50;

let dir: string;
const stops: (() => void)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qa-watch-'));
  await writeFile(join(dir, 'bridge.txt'), 'The old bridge reopened on Friday after repairs.');
});
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await rm(dir, { recursive: true, force: true });
});

/** A promise for the next value passed to the returned callback. */
function nextCall<T>(): { promise: Promise<T>; callback: (value: T) => void } {
  let callback: (value: T) => void = () => undefined;
  const promise = new Promise<T>((resolve) => (callback = resolve));
  return { promise, callback };
}

describe('watchFolder', () => {
  it('reports a new file once things are quiet, leaving out dot-files, temp files and the bot’s own changes', async () => {
    const changes = nextCall<string[]>();
    stops.push(
      watchFolder({
        path: dir,
        debounceMs: DEBOUNCE_MS,
        isOwnChange: (name) => name === 'written-by-bot.md',
        onChange: changes.callback,
        onError: (error) => {
          throw error;
        },
      }),
    );
    await writeFile(join(dir, '.tmp-1234'), 'x');
    await writeFile(join(dir, 'draft.txt.swp'), 'x');
    await mkdir(join(dir, '.trash'));
    await writeFile(join(dir, 'written-by-bot.md'), 'x');
    await writeFile(join(dir, 'new.txt'), 'A new article.');
    expect(await changes.promise).toEqual(['new.txt']);
  });

  it('knows which names never hold an article', () => {
    expect(['.trash', '.tmp-1', 'a.txt~', '#a.txt#', 'a.swp', 'a.part', 'a.crdownload', 'a.TMP'].every(isIgnoredName)).toBe(true);
    expect(['a.txt', 'a.md', 'story.html', 'trash.txt'].some(isIgnoredName)).toBe(false);
  });
});

describe('startAutoReload', () => {
  it('reloads when a file is added by hand, logging it like /reload', async () => {
    const log = memoryLogger();
    const { library } = await ArticleLibrary.open({ sourcesPath: dir, logger: log.logger });
    const reloaded = nextCall<ReloadReport>();
    library.onChange((change) => change.kind === 'reload' && reloaded.callback(change.report));
    stops.push(startAutoReload({ path: dir, library, logger: log.logger, debounceMs: DEBOUNCE_MS }));

    await writeFile(join(dir, 'zoo.txt'), 'A panda cub was born at the city zoo on Tuesday.');
    const report = await reloaded.promise;
    expect(report).toMatchObject({ ok: true, before: { sources: 1 }, after: { sources: 2 } });
    expect(library.ask('What was born at the zoo?').hits[0]?.source).toBe('zoo.txt');
    expect(log.lines.find((l) => l.msg === 'sources changed on disk: reloaded')).toMatchObject({ trigger: 'watch', files: ['zoo.txt'], ok: true });
  });

  it('does not react to the files the library itself writes', async () => {
    const log = memoryLogger();
    const { library } = await ArticleLibrary.open({ sourcesPath: dir, logger: log.logger });
    const reloaded = nextCall<ReloadReport>();
    library.onChange((change) => change.kind === 'reload' && reloaded.callback(change.report));
    stops.push(startAutoReload({ path: dir, library, logger: log.logger, debounceMs: DEBOUNCE_MS }));

    const added = await library.addSource({
      text: 'A panda cub was born at the city zoo on Tuesday.',
      format: 'text',
      metadata: { title: 'Panda cub' },
      addedBy: { id: '1', tag: 'mod' },
    });
    // Someone else's change afterwards: the reload it causes names only that file.
    await writeFile(join(dir, 'weather.txt'), 'Heavy rain is expected on Sunday.');
    await reloaded.promise;
    const changedFiles = log.lines.filter((l) => l.msg === 'sources changed on disk: reloaded').flatMap((l) => l.files as string[]);
    expect(changedFiles).toContain('weather.txt');
    expect(changedFiles).not.toContain(added.source.id);
    expect(library.sources().map((s) => s.id)).toEqual(['bridge.txt', added.source.id, 'weather.txt']);
  });

  it('logs and carries on when the folder cannot be watched', () => {
    const log = memoryLogger();
    const stop = startAutoReload({ path: join(dir, 'missing'), library: { reload: () => Promise.reject(new Error('unused')) }, logger: log.logger });
    stop();
    expect(log.lines.find((l) => l.msg === 'cannot watch the sources folder; changes need /reload')).toBeDefined();
  });
});
