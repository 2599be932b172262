/**
 * Bad source files, for real, on disk in temp folders: each is skipped with its reason, nothing else is
 * lost, and a library reload either swaps in a whole new index or keeps the old one serving.
 *
 * One artifice, used only where a test says so: `node:fs/promises` is wrapped so that a test can delete
 * a file at an exact point of a load (just before the loader's own lstat, stat or readFile of it). The
 * deletion is a real unlink and the loader's call then really fails with ENOENT; every other call goes
 * straight through, so the rest of this file runs against the real file system.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, realpath, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SkippedFile, SourceDocument } from '../../src/engine/types';
import { ArticleLibrary } from '../../src/sources/library';
import { parseArticle } from '../../src/sources/parse';
import { isChrome } from '../../src/text/chrome';
import { DEFAULT_MAX_SOURCE_BYTES, loadSources, SourcesUnavailableError } from '../../src/sources/loader';
import { anyCodePoints, anyText, hasLoneSurrogate, LARGE_INPUTS, newsArticle } from '../text/arbitraries';

type FsCall = 'lstat' | 'stat' | 'readFile';
/** Which file to delete, and just before which of the loader's calls on it. */
const removal = vi.hoisted(() => ({ before: undefined as FsCall | undefined, path: '' }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const removeIfDue = async (call: FsCall, path: unknown) => {
    if (removal.before !== call || String(path) !== removal.path) return;
    removal.before = undefined;
    await fs.rm(removal.path);
  };
  const wrap = <F extends (path: never, ...rest: never[]) => Promise<unknown>>(call: FsCall, original: F): F =>
    (async (path: never, ...rest: never[]) => {
      await removeIfDue(call, path);
      return original(path, ...rest);
    }) as F;
  return { ...fs, lstat: wrap('lstat', fs.lstat), stat: wrap('stat', fs.stat), readFile: wrap('readFile', fs.readFile) };
});

// The library's incremental loader reads with the synchronous calls: the same hook on those.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const wrap = <F extends (path: never, ...rest: never[]) => unknown>(call: FsCall, original: F): F =>
    ((path: never, ...rest: never[]) => {
      if (removal.before === call && String(path) === removal.path) {
        removal.before = undefined;
        fs.rmSync(removal.path);
      }
      return original(path, ...rest);
    }) as F;
  const wrapped = { ...fs, lstatSync: wrap('lstat', fs.lstatSync), statSync: wrap('stat', fs.statSync), readFileSync: wrap('readFile', fs.readFileSync) };
  return { ...wrapped, default: wrapped };
});

let dir: string;
let outside: string;
beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'qa-bad-files-')));
  outside = await realpath(await mkdtemp(join(tmpdir(), 'qa-outside-')));
  removal.before = undefined;
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

/** Whether chmod 000 stops this process reading a file: not when the tests run as root. */
async function chmodBlocksReads(): Promise<boolean> {
  const probeDir = await mkdtemp(join(tmpdir(), 'qa-chmod-probe-'));
  const probe = join(probeDir, 'probe.txt');
  try {
    await writeFile(probe, 'x');
    await chmod(probe, 0o000);
    await readFile(probe);
    return false;
  } catch {
    return true;
  } finally {
    await rm(probeDir, { recursive: true, force: true });
  }
}
const CAN_BE_UNREADABLE = await chmodBlocksReads();
const AS_ROOT = ' [SKIPPED when running as root: chmod 000 does not stop root reading a file]';

function hasMkfifo(): boolean {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const CAN_MKFIFO = hasMkfifo();

const ARTICLE = 'The old bridge reopened on Friday after two years of repairs.\n\nTraffic was light in the morning, officials said. "It is a relief," one driver said.';
const articleSentences = ['The old bridge reopened on Friday after two years of repairs.', 'Traffic was light in the morning, officials said.', '"It is a relief," one driver said.'];

function reasons(skipped: SkippedFile[]): Record<string, string> {
  expect(new Set(skipped.map((s) => s.file)).size).toBe(skipped.length);
  return Object.fromEntries(skipped.map((s) => [s.file, s.reason]));
}

function byId(documents: SourceDocument[]): Record<string, SourceDocument> {
  return Object.fromEntries(documents.map((d) => [d.id, d]));
}

describe('parseArticle on any text', () => {
  const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 200) };

  function checkDocument(raw: string, document: SourceDocument): void {
    expect(document.paragraphs.length).toBe(document.sentences.length);
    expect(document.paragraphs.filter((p, i) => i > 0 && p < document.paragraphs[i - 1]!)).toEqual([]);
    expect(document.sentences.filter((s) => s === '' || s !== s.trim() || isChrome(s))).toEqual([]);
    // A title someone can read: letters, digits or symbols such as emoji (front matter may name its own).
    if (!raw.trimStart().startsWith('---')) expect(document.title).toMatch(/[\p{L}\p{N}\p{S}]/u);
    // Every sentence is the article's own text (white space aside), in article order.
    const text = raw.replace(/\s+/g, ' ');
    let from = 0;
    for (const sentence of document.sentences) {
      const at = text.indexOf(sentence, from);
      expect(at, `"${sentence}" is not in the text after position ${from}`).toBeGreaterThanOrEqual(0);
      from = at + sentence.length;
    }
  }

  test.prop([fc.oneof(anyText(600), newsArticle(20))], RUNS)('never throws; sentences are the text\'s own, in order, and never chrome', (raw) => {
    checkDocument(raw, parseArticle('doc.txt', raw));
  });

  const wellFormed = fc.oneof(anyCodePoints(300), newsArticle(3).map((text) => `🎉${text.replace(/[.!?\s]/g, '🎉')}`)).filter((text) => !hasLoneSurrogate(text));
  test.prop([wellFormed], RUNS)(
    'never cuts a title in the middle of a character',
    (raw) => {
      expect(hasLoneSurrogate(parseArticle('doc.txt', raw).title)).toBe(false);
    },
  );

  it.each(['!!!', '...', '?', '\u200b', '\u200b\u200e.', '— …'])('titles a document whose first sentence is %j by its file name', (raw) => {
    expect(parseArticle('doc.txt', raw)).toMatchObject({ title: 'doc.txt', sentences: [raw] });
  });

  it('titles a document by its first sentence when it has something to read', () => {
    expect(parseArticle('doc.txt', '🎉.').title).toBe('🎉');
    // 80 code units would end on the first half of the 40th emoji.
    expect(parseArticle('doc.txt', `a${'🎉'.repeat(50)}`).title).toBe(`a${'🎉'.repeat(39)}…`);
  });

  it.each(Object.entries(LARGE_INPUTS))('parses 100 KB of %s', (_name, raw) => {
    checkDocument(raw, parseArticle('big.txt', raw));
  });
});

describe('loadSources: every bad file is skipped with its reason, nothing else is lost', () => {
  it('skips each bad file in a mixed folder and loads every good one intact', async () => {
    const write = (name: string, data: string | Buffer) => writeFile(join(dir, name), data);
    await write('good.txt', ARTICLE);
    await write('good-crlf.txt', ARTICLE.replace(/\n/g, '\r\n'));
    await write('good-cr.txt', ARTICLE.replace(/\n/g, '\r'));
    await write('good-bom.md', `\uFEFF---\r\ntitle: "Bridge reopens"\r\n---\r\n${ARTICLE}`);
    await write('a..b.txt', ARTICLE);
    await write('..hidden.txt', ARTICLE);
    await write('a\u0001b.txt', ARTICLE);
    await write('line\nbreak.txt', ARTICLE);
    await write('rtl \u202eevil.txt', ARTICLE);
    await write('émoji 🎉.md', ARTICLE);
    await write('empty.txt', '');
    await write('spaces.txt', ' \n\t\r\n \u00a0\n');
    await write('bom-only.txt', '\uFEFF');
    await write('binary.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    await write('nul.txt', 'A sentence.\u0000Another sentence.');
    await write('controls.txt', 'Text\u0001\u0002\u0003\u0004\u0005 with \u0006\u0007\u0008 control \u000e\u000f bytes.');
    await write('latin1.txt', Buffer.from('Caf\xe9 cr\xe8me, na\xefve r\xe9sum\xe9.', 'latin1'));
    await write('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('The bridge reopened.', 'utf16le')]));
    await write('truncated-utf8.txt', Buffer.concat([Buffer.from('The bridge reopened. Caf'), Buffer.from([0xc3])]));
    await write('chrome.txt', 'Advertisement\nRead more\nShare on Facebook');
    await write('front-matter-only.md', '---\ntitle: Nothing here\n---\n');
    await write('notes.pdf', '%PDF-1.4');
    await write('no-extension', ARTICLE);
    await mkdir(join(dir, 'folder.txt'));
    await mkdir(join(dir, 'inside'));
    await symlink(join(dir, 'inside'), join(dir, 'dir-link.txt'));
    await writeFile(join(outside, 'secret.txt'), 'Secret text from outside the sources folder.');
    await symlink(join(outside, 'secret.txt'), join(dir, 'escape.txt'));
    await symlink(outside, join(dir, 'escape-dir.txt'));
    await symlink('../../../../../../../../etc/hostname', join(dir, 'dotdot.txt'));
    await symlink(join(dir, 'loop-b.txt'), join(dir, 'loop-a.txt'));
    await symlink(join(dir, 'loop-a.txt'), join(dir, 'loop-b.txt'));
    await symlink(join(dir, 'good.txt'), join(dir, 'alias.txt'));
    if (CAN_MKFIFO) execFileSync('mkfifo', [join(dir, 'pipe.txt')]);

    const { documents, skipped } = await loadSources(dir, { maxSourceBytes: 4096 });

    const good = ['a..b.txt', 'a\u0001b.txt', 'alias.txt', 'good-bom.md', 'good-cr.txt', 'good-crlf.txt', 'good.txt', 'line\nbreak.txt', 'rtl \u202eevil.txt', 'émoji 🎉.md'];
    expect(documents.map((d) => d.id).sort()).toEqual(good.sort());
    for (const document of documents) {
      expect(document.sentences, document.id).toEqual(articleSentences);
      expect(document.paragraphs, document.id).toEqual([0, 1, 1]);
    }
    expect(byId(documents)['good-bom.md']?.title).toBe('Bridge reopens');
    expect(byId(documents)['good.txt']?.title).toBe('The old bridge reopened on Friday after two years of repairs');

    expect(reasons(skipped)).toEqual({
      'empty.txt': 'the file is empty',
      'spaces.txt': 'the file has only whitespace',
      'bom-only.txt': 'the file is empty',
      'binary.txt': 'the file looks binary, not text',
      'nul.txt': 'the file looks binary, not text',
      'controls.txt': 'the file looks binary, not text',
      'latin1.txt': expect.stringMatching(/not valid UTF-8/),
      'utf16.txt': 'the file is UTF-16 text; save it as UTF-8',
      'truncated-utf8.txt': expect.stringMatching(/not valid UTF-8/),
      'chrome.txt': 'no article text left after extraction',
      'front-matter-only.md': 'no article text left after extraction',
      'notes.pdf': 'not a .txt, .md or .html file',
      'no-extension': 'not a .txt, .md or .html file',
      'folder.txt': 'a folder, not an article file',
      'inside': 'a folder, not an article file',
      'dir-link.txt': 'not a regular file',
      'escape.txt': 'a link to a file outside the sources folder',
      'escape-dir.txt': 'a link to a file outside the sources folder',
      'dotdot.txt': expect.stringMatching(/^a link to a file (outside the sources folder|that does not exist)$/),
      'loop-a.txt': 'a symbolic link loop',
      'loop-b.txt': 'a symbolic link loop',
      ...(CAN_MKFIFO ? { 'pipe.txt': 'not a regular file' } : {}),
    });
    // Every visible entry is accounted for exactly once; dot-files are ignored by design.
    const visible = good.length + skipped.length;
    expect(new Set([...documents.map((d) => d.id), ...skipped.map((s) => s.file)]).size).toBe(visible);
    expect([...documents.map((d) => d.id), ...skipped.map((s) => s.file)]).not.toContain('..hidden.txt');
  });

  test.prop(
    [
      fc.oneof(
        fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes)),
        anyText(600).map((text) => Buffer.from(text, 'utf8')),
        fc.tuple(fc.constantFrom('\uFEFF', '---\ntitle: T\n---\n', '<html><body><p>', '# '), anyText(400)).map(([head, text]) => Buffer.from(head + text, 'utf8')),
      ),
      fc.constantFrom('x.txt', 'x.md', 'x.html'),
    ],
    { numRuns: Number(process.env.FC_RUNS ?? 60) },
  )('loads or skips any bytes in any format, never throwing, never an empty document', async (bytes, name) => {
    await writeFile(join(dir, name), bytes);
    await writeFile(join(dir, 'good.txt'), ARTICLE);
    const { documents, skipped } = await loadSources(dir, { maxSourceBytes: 2048 });
    expect(byId(documents)['good.txt']?.sentences).toEqual(articleSentences);
    const loaded = documents.filter((d) => d.id === name);
    const refused = skipped.filter((s) => s.file === name);
    expect(loaded.length + refused.length).toBe(1);
    for (const document of loaded) {
      expect(document.sentences.length).toBeGreaterThan(0);
      expect(document.paragraphs.length).toBe(document.sentences.length);
      expect(document.sentences.filter((s) => s === '' || s !== s.trim())).toEqual([]);
      expect(document.title).not.toBe('');
    }
    for (const { reason } of refused) expect(reason).toMatch(/\S/);
    await rm(join(dir, name));
  });
});

describe('loadSources: size limit', () => {
  it('loads a file of exactly the limit and refuses one byte more, saying both sizes', async () => {
    await writeFile(join(dir, 'at-limit.txt'), `${'A'.repeat(98)}.`.padEnd(100, ' '));
    await writeFile(join(dir, 'over-limit.txt'), `${'A'.repeat(99)}.`.padEnd(101, ' '));
    const { documents, skipped } = await loadSources(dir, { maxSourceBytes: 100 });
    expect(documents.map((d) => d.id)).toEqual(['at-limit.txt']);
    expect(skipped).toEqual([{ file: 'over-limit.txt', reason: '101 bytes is over the 100 bytes limit (MAX_SOURCE_BYTES)' }]);
  });

  it('refuses a 50 MB file by its size, with the default and a configured limit', async () => {
    await writeFile(join(dir, 'good.txt'), ARTICLE);
    await writeFile(join(dir, 'huge.txt'), '');
    await truncate(join(dir, 'huge.txt'), 50 * 1024 * 1024); // sparse: no 50 MB write needed
    expect(DEFAULT_MAX_SOURCE_BYTES).toBeLessThan(50 * 1024 * 1024);
    const byDefault = await loadSources(dir);
    expect(byDefault.documents.map((d) => d.id)).toEqual(['good.txt']);
    expect(byDefault.skipped).toEqual([{ file: 'huge.txt', reason: '50 MB is over the 2 MB limit (MAX_SOURCE_BYTES)' }]);
    const configured = await loadSources(dir, { maxSourceBytes: 10 * 1024 * 1024 });
    expect(configured.skipped).toEqual([{ file: 'huge.txt', reason: '50 MB is over the 10 MB limit (MAX_SOURCE_BYTES)' }]);
  });

  it('refuses a 3 GB file by its size: proof that it was not read whole (Node cannot read over 2 GB into one buffer)', async () => {
    await writeFile(join(dir, 'enormous.txt'), '');
    await truncate(join(dir, 'enormous.txt'), 3 * 1024 ** 3); // sparse
    // Reading it whole would fail with ERR_FS_FILE_TOO_LARGE, and the reason would say so instead.
    await expect(readFile(join(dir, 'enormous.txt'))).rejects.toMatchObject({ code: 'ERR_FS_FILE_TOO_LARGE' });
    const { skipped } = await loadSources(dir);
    expect(skipped).toEqual([{ file: 'enormous.txt', reason: '3072 MB is over the 2 MB limit (MAX_SOURCE_BYTES)' }]);
  });
});

describe('loadSources: a file removed while loading', () => {
  it('skips a dangling link (its file was deleted) as missing; no wrapping involved', async () => {
    await writeFile(join(dir, 'good.txt'), ARTICLE);
    await writeFile(join(dir, 'target.txt'), ARTICLE);
    await symlink(join(dir, 'target.txt'), join(dir, 'link.txt'));
    await rm(join(dir, 'target.txt'));
    const { documents, skipped } = await loadSources(dir);
    expect(documents.map((d) => d.id)).toEqual(['good.txt']);
    expect(skipped).toEqual([{ file: 'link.txt', reason: 'a link to a file that does not exist' }]);
  });

  it.each<FsCall>(['lstat', 'stat', 'readFile'])('skips a file deleted between listing the folder and its %s, loading the rest', async (call) => {
    for (const name of ['a.txt', 'b.txt', 'c.txt']) await writeFile(join(dir, name), ARTICLE);
    Object.assign(removal, { before: call, path: join(dir, 'b.txt') });
    const { documents, skipped } = await loadSources(dir);
    expect(removal.before, 'the deletion hook must have fired').toBeUndefined();
    expect(documents.map((d) => d.id)).toEqual(['a.txt', 'c.txt']);
    expect(skipped).toEqual([{ file: 'b.txt', reason: 'it was removed while loading' }]);
  });
});

describe('loadSources: unreadable files and folders', () => {
  it.skipIf(!CAN_BE_UNREADABLE)(`skips an unreadable file (chmod 000) as "permission denied"${CAN_BE_UNREADABLE ? '' : AS_ROOT}`, async () => {
    await writeFile(join(dir, 'good.txt'), ARTICLE);
    await writeFile(join(dir, 'locked.txt'), ARTICLE);
    await chmod(join(dir, 'locked.txt'), 0o000);
    const { documents, skipped } = await loadSources(dir);
    expect(documents.map((d) => d.id)).toEqual(['good.txt']);
    expect(skipped).toEqual([{ file: 'locked.txt', reason: 'permission denied' }]);
  });

  it.skipIf(!CAN_BE_UNREADABLE)(`refuses an unreadable folder (chmod 000) as a whole${CAN_BE_UNREADABLE ? '' : AS_ROOT}`, async () => {
    await writeFile(join(dir, 'good.txt'), ARTICLE);
    await chmod(dir, 0o000);
    await expect(loadSources(dir)).rejects.toThrow(SourcesUnavailableError);
    await expect(loadSources(dir)).rejects.toThrow(/permission denied/);
  });
});

/** What a user can see of a library at one moment: must come from one snapshot. */
function observe(library: ArticleLibrary) {
  const documents = library.documents();
  const answer = library.ask('When did the bridge reopen?');
  for (const hit of answer.hits) {
    // Within one observation the hit and the listed documents agree: no mix of two snapshots.
    expect(documents.find((d) => d.id === hit.source)?.sentences[hit.sentence - 1]).toBe(hit.text);
  }
  return {
    ids: library.sources().map((s) => s.id),
    counts: library.counts(),
    documents: documents.map((d) => [d.id, d.sentences.length]),
    hits: answer.hits.map((h) => [h.source, h.sentence, h.text]),
  };
}

describe('ArticleLibrary.reload: a whole new index or the old one, never half', () => {
  async function openWith(files: Record<string, string>) {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    return (await ArticleLibrary.open({ sourcesPath: dir })).library;
  }

  it('keeps every old answer when the folder is removed', async () => {
    const library = await openWith({ 'bridge.txt': ARTICLE, 'bad.txt': '' });
    const before = observe(library);
    const skippedBefore = library.skipped();
    await rm(dir, { recursive: true });
    const report = await library.reload();
    expect(report).toMatchObject({ ok: false, before: before.counts, after: before.counts, skipped: [] });
    expect(report.error).toMatch(/does not exist/);
    expect(observe(library)).toEqual(before);
    expect(library.skipped()).toEqual(skippedBefore);
  });

  it('keeps every old answer when the folder is replaced by a dangling link', async () => {
    const library = await openWith({ 'bridge.txt': ARTICLE });
    const before = observe(library);
    await rm(dir, { recursive: true });
    await symlink(join(outside, 'missing-folder'), dir);
    const report = await library.reload();
    expect(report).toMatchObject({ ok: false, error: expect.stringMatching(/does not exist/) });
    expect(observe(library)).toEqual(before);
  });

  it.skipIf(!CAN_BE_UNREADABLE)(`keeps every old answer when the folder becomes unreadable${CAN_BE_UNREADABLE ? '' : AS_ROOT}`, async () => {
    const library = await openWith({ 'bridge.txt': ARTICLE });
    const before = observe(library);
    await chmod(dir, 0o000);
    const report = await library.reload();
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(/permission denied/);
    expect(observe(library)).toEqual(before);
  });

  it('swaps in the new set whole, with the file removed mid-reload skipped and the rest loaded', async () => {
    const library = await openWith({ 'a.txt': ARTICLE, 'b.txt': ARTICLE });
    await writeFile(join(dir, 'c.txt'), 'The ferry sank near the harbour on Sunday.');
    Object.assign(removal, { before: 'readFile', path: join(dir, 'b.txt') });
    const report = await library.reload();
    expect(report).toMatchObject({ ok: true, after: { sources: 2 }, skipped: [{ file: 'b.txt', reason: 'it was removed while loading' }] });
    expect(library.sources().map((s) => s.id)).toEqual(['a.txt', 'c.txt']);
    expect(library.ask('Where did the ferry sink?').hits[0]?.source).toBe('c.txt');
  });

  it('answers from one consistent snapshot at every moment of a reload', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`old-${String(i).padStart(2, '0')}.txt`] = `The bridge number ${i} reopened on Friday. Old report ${i}.`;
    const library = await openWith(files);
    const old = observe(library);
    // The new set: some files rewritten, some removed, some added, one bad.
    for (let i = 0; i < 12; i += 2) await rm(join(dir, `old-${String(i).padStart(2, '0')}.txt`));
    for (let i = 1; i < 12; i += 4) await writeFile(join(dir, `old-${String(i).padStart(2, '0')}.txt`), `The bridge number ${i} reopened on Monday instead. New report.`);
    for (let i = 0; i < 6; i++) await writeFile(join(dir, `new-${i}.txt`), `A new bridge ${i} reopened on Tuesday.`);
    await writeFile(join(dir, 'new-bad.txt'), Buffer.from([0, 1, 2, 3]));

    const seen: ReturnType<typeof observe>[] = [];
    let done = false;
    const reloading = library.reload().finally(() => {
      done = true;
    });
    while (!done) {
      seen.push(observe(library));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const report = await reloading;
    const current = observe(library);
    expect(report.ok).toBe(true);
    expect(current.ids).toHaveLength(6 + 6);
    expect(current).not.toEqual(old);
    // The first look came while the reload was running (it cannot finish synchronously): the old set.
    expect(seen[0]).toEqual(old);
    for (const moment of seen) expect([old, current]).toContainEqual(moment);
  });
});
