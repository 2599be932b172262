import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AnalysisCache } from '../../src/sources/analysis-cache';
import { ArticleLibrary } from '../../src/sources/library';
import { mergeAnswers } from '../../src/sources/merge-answers';
import { ServerLibraries, serverArticlesFolder } from '../../src/sources/server-libraries';

const A = '111111111111111111';
const B = '222222222222222222';
const ACTOR = { id: '1', tag: 'mod' };

let root: string;
let shared: ArticleLibrary;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'qa-bot-servers-'));
  mkdirSync(join(root, 'shared'));
  writeFileSync(join(root, 'shared', 'bridge.txt'), 'The harbour bridge reopened to traffic on Saturday after eight months of repairs.\n');
  ({ library: shared } = await ArticleLibrary.open({ sourcesPath: join(root, 'shared') }));
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function serverArticle(guildId: string, name: string, text: string): void {
  const folder = serverArticlesFolder(join(root, 'data'), guildId);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, name), text);
}

describe('ServerLibraries', () => {
  it('a server with no folder yet is answered from the shared articles, and its first add creates the folder', async () => {
    const servers = new ServerLibraries({ shared, dataDir: join(root, 'data') });
    const a = await servers.forServer(A);
    expect(a.sources().map((s) => [s.id, s.shared])).toEqual([['bridge.txt', true]]);
    expect(a.ask('When did the bridge reopen?').hits[0]?.source).toBe('bridge.txt');
    await a.addSource({ text: 'A panda cub was born at the city zoo on Tuesday.', format: 'text', metadata: { title: 'Panda cub' }, addedBy: ACTOR });
    expect(existsSync(join(serverArticlesFolder(join(root, 'data'), A), 'panda-cub.md'))).toBe(true);
    expect((await servers.forServer(B)).sources().map((s) => s.id)).toEqual(['bridge.txt']);
  });

  it('searches the shared index and the server index side by side: the answer comes from whichever holds it', async () => {
    serverArticle(A, 'zoo.txt', 'A panda cub was born at the city zoo on Tuesday.\n');
    const servers = new ServerLibraries({ shared, dataDir: join(root, 'data') });
    const a = await servers.forServer(A);
    expect(a.ask('What was born at the zoo?')).toMatchObject({ answered: true, hits: [{ source: 'zoo.txt' }] });
    expect(a.ask('When did the bridge reopen?')).toMatchObject({ answered: true, hits: [{ source: 'bridge.txt' }] });
    expect(a.ask('Who won the football final?').answered).toBe(false);
    expect(a.counts()).toEqual({ sources: 2, sentences: 2 });
  });

  it('drops the least recently used servers past the memory budget and rebuilds one when asked again', async () => {
    for (const id of [A, B]) serverArticle(id, 'zoo.txt', `A panda cub was born at the city zoo in server ${id}.\n`);
    const servers = new ServerLibraries({ shared, dataDir: join(root, 'data'), budgetBytes: 1 });
    await servers.forServer(A);
    expect(servers.loadedServers()).toEqual([A]);
    await servers.forServer(B);
    expect(servers.loadedServers()).toEqual([B]);
    const again = await servers.forServer(A);
    expect(servers.loadedServers()).toEqual([A]);
    expect(again.ask('Where was the panda cub born?').hits[0]?.text).toContain(`server ${A}`);
  });

  it('keeps every server within a large budget, in least-recently-used order', async () => {
    const servers = new ServerLibraries({ shared, dataDir: join(root, 'data') });
    await servers.forServer(A);
    await servers.forServer(B);
    await servers.forServer(A);
    expect(servers.loadedServers()).toEqual([B, A]);
    expect(servers.loadedBytes()).toBeGreaterThanOrEqual(0);
  });

  it('refuses to remove a shared article from a server, changing nothing', async () => {
    const servers = new ServerLibraries({ shared, dataDir: join(root, 'data') });
    const a = await servers.forServer(A);
    await expect(a.removeSource('bridge.txt', ACTOR)).rejects.toMatchObject({ reason: expect.stringContaining('is a shared article') });
    expect(existsSync(join(root, 'shared', 'bridge.txt'))).toBe(true);
  });

  it('a server it left is kept, then forgotten after FORGET_LEFT_GUILDS_DAYS; a server it rejoined is kept', async () => {
    serverArticle(A, 'zoo.txt', 'A panda cub was born at the city zoo.\n');
    serverArticle(B, 'zoo.txt', 'A panda cub was born at the city zoo.\n');
    const servers = new ServerLibraries({ shared, dataDir: join(root, 'data') });
    const left = new Date('2026-01-01T00:00:00Z');
    await servers.markLeft(A, left);
    await servers.markLeft(B, left);
    await servers.markPresent(B);
    expect(await servers.forgetLeftServers(30, () => true, new Date('2026-01-20T00:00:00Z'))).toEqual([]);
    expect(await servers.forgetLeftServers(30, () => true, new Date('2026-02-05T00:00:00Z'))).toEqual([A]);
    expect(existsSync(serverArticlesFolder(join(root, 'data'), A))).toBe(false);
    expect(existsSync(serverArticlesFolder(join(root, 'data'), B))).toBe(true);
  });

  it('with the analysis cache, a dropped or restarted server is rebuilt without analysing its unchanged files again', async () => {
    serverArticle(A, 'zoo.txt', 'Keepers at the city zoo named the new giraffe Tallulah.\n');
    serverArticle(A, 'rates.txt', 'The central bank kept its interest rate at five percent.\n');
    serverArticle(A, 'votes.txt', 'The council voted to close the old library in March.\n');
    const cache = new AnalysisCache({ dir: join(root, 'data', 'cache') });
    const servers = new ServerLibraries({ shared, dataDir: join(root, 'data'), cache });
    await servers.forServer(A);
    expect(servers.stats()).toMatchObject({ builds: 1, rebuilds: 0, analysedFiles: 3 });
    await cache.settled();
    servers.drop(A);
    const again = await servers.forServer(A);
    expect(servers.stats()).toMatchObject({ builds: 2, rebuilds: 1, analysedFiles: 3 });
    expect(again.ask('What did keepers name the giraffe?').hits[0]?.source).toBe('zoo.txt');
    // A changed file is analysed again, the others are not; a new process reads the same cache file.
    serverArticle(A, 'zoo.txt', 'A panda cub was born at the city zoo on Tuesday.\n');
    const restarted = new ServerLibraries({ shared, dataDir: join(root, 'data'), cache: new AnalysisCache({ dir: join(root, 'data', 'cache') }) });
    expect((await restarted.forServer(A)).ask('What was born at the zoo?').hits[0]?.text).toContain('panda cub');
    expect(restarted.stats()).toMatchObject({ builds: 1, analysedFiles: 1 });
    // Without the cache every file is analysed on each rebuild.
    const uncached = new ServerLibraries({ shared, dataDir: join(root, 'data') });
    await uncached.forServer(A);
    uncached.drop(A);
    await uncached.forServer(A);
    expect(uncached.stats()).toMatchObject({ builds: 2, analysedFiles: 6 });
  });

  it("forgetting a server also deletes its cached analysis, which holds its articles' text", async () => {
    serverArticle(A, 'zoo.txt', 'A panda cub was born at the city zoo.\n');
    serverArticle(B, 'zoo.txt', 'A panda cub was born at the city zoo.\n');
    const cache = new AnalysisCache({ dir: join(root, 'data', 'cache') });
    const servers = new ServerLibraries({ shared, dataDir: join(root, 'data'), cache });
    await servers.forServer(A);
    await servers.forServer(B);
    await cache.settled();
    const cacheFileOf = (id: string) => cache.fileFor(realpathSync(serverArticlesFolder(join(root, 'data'), id)));
    const [fileA, fileB] = [cacheFileOf(A), cacheFileOf(B)];
    expect([existsSync(fileA), existsSync(fileB)]).toEqual([true, true]);
    await servers.markLeft(A, new Date('2026-01-01T00:00:00Z'));
    expect(await servers.forgetLeftServers(30, () => true, new Date('2026-02-05T00:00:00Z'))).toEqual([A]);
    expect([existsSync(fileA), existsSync(fileB)]).toEqual([false, true]);
  });

  it('counts each server index it built and how often its set was swapped, per server', async () => {
    serverArticle(A, 'zoo.txt', 'A panda cub was born at the city zoo.\n');
    const servers = new ServerLibraries({ shared, dataDir: join(root, 'data') });
    const a = await servers.forServer(A);
    await servers.forServer(B);
    await a.addSource({ text: 'The harbour bridge reopened on Saturday.', format: 'text', metadata: { title: 'Bridge' }, addedBy: ACTOR });
    await a.reload({ trigger: 'reload' });
    expect(servers.stats().loaded).toEqual([
      { guildId: B, generation: 1, builds: 1, bytes: expect.any(Number) },
      { guildId: A, generation: 3, builds: 1, bytes: expect.any(Number) },
    ]);
  });

  it("scopes a follow-up to the previous answer's article as the server saw it, shared or its own, per server", async () => {
    serverArticle(A, 'zoo.txt', 'A panda cub was born at the city zoo in May.\n\nThe zoo reopened to visitors on Tuesday after the birth.\n');
    serverArticle(B, 'museum.txt', 'The river museum was flooded in March.\n\nThe museum reopened on Monday after the flood.\n');
    const servers = new ServerLibraries({ shared, dataDir: join(root, 'data') });
    const a = await servers.forServer(A);
    expect(a.ask('How long did the bridge repairs take?', { conversation: 'channel' }).hits[0]?.source).toBe('bridge.txt');
    // Asked openly, "reopen" finds the zoo first; in this conversation "it" is the bridge (shared).
    expect(a.ask('When did it reopen?').hits[0]?.source).toBe('zoo.txt');
    const followUp = a.ask('When did it reopen?', { conversation: 'channel' });
    expect(followUp).toMatchObject({ answered: true, followUp: { source: 'bridge.txt' }, hits: [{ source: 'bridge.txt' }] });
    // The conversation survives the server's index being dropped and rebuilt; another server's of the same key is its own.
    servers.drop(A);
    const rebuilt = await servers.forServer(A);
    expect(rebuilt.ask('When did it reopen?', { conversation: 'channel' })).toMatchObject({ followUp: { source: 'bridge.txt' }, hits: [{ source: 'bridge.txt' }] });
    // B's channel of the same name has no previous answer: B's question is asked openly and finds B's
    // own museum, where A's conversation (had it leaked) would scope it to the bridge.
    const b = await servers.forServer(B);
    const inB = b.ask('When did it reopen?', { conversation: 'channel' });
    expect(inB.hits[0]?.source).toBe('museum.txt');
    expect(inB.followUp).toBeUndefined();
  });

  it('keeps a moderator role per server, with the operator roles as the fallback', async () => {
    const servers = new ServerLibraries({ shared, dataDir: join(root, 'data'), fallbackModeratorRoleIds: ['999999999999999999'] });
    await servers.setModeratorRole(A, '333333333333333333');
    expect(await servers.moderatorRoleIds(A)).toEqual(['333333333333333333']);
    expect(await servers.moderatorRoleIds(B)).toEqual(['999999999999999999']);
    // A new process reads it back from settings.json.
    const reopened = new ServerLibraries({ shared, dataDir: join(root, 'data') });
    expect(await reopened.moderatorRole(A)).toBe('333333333333333333');
    await reopened.setModeratorRole(A, undefined);
    expect(await reopened.moderatorRole(A)).toBeUndefined();
  });
});

describe('mergeAnswers', () => {
  const hit = (source: string, score: number) => ({ source, title: source, sentence: 1, total: 1, text: source, score });
  it('puts an index that answered before one that declined, then by score', () => {
    const merged = mergeAnswers('q', [
      { question: 'q', answered: false, confident: false, hits: [hit('weak', 9)], declineReason: 'weak-match' },
      { question: 'q', answered: true, confident: true, hits: [hit('good', 3), hit('also', 2)] },
    ], 3);
    expect(merged).toEqual({ question: 'q', answered: true, confident: true, hits: [hit('good', 3), hit('also', 2), hit('weak', 9)] });
  });

  it('declines with the most telling reason when no index answered', () => {
    const merged = mergeAnswers('q', [
      { question: 'q', answered: false, confident: false, hits: [], declineReason: 'no-match' },
      { question: 'q', answered: false, confident: false, hits: [hit('x', 1)], declineReason: 'weak-match' },
    ], 3);
    expect(merged).toMatchObject({ answered: false, declineReason: 'weak-match', hits: [hit('x', 1)] });
  });
});
