import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/insights/schema';
import { InsightsStore, type InsightsStoreOptions } from '../../src/insights/store';
import type { AnswerRecord } from '../../src/insights/types';

const DAY = 86_400_000;
let dir: string;
let dbPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'insights-'));
  dbPath = join(dir, 'data', 'bot.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function logs() {
  const warn: { reason?: string; message: string }[] = [];
  const info: string[] = [];
  return {
    warn,
    info,
    logger: {
      warn: (o: object, message: string) => warn.push({ ...(o as { reason?: string }), message }),
      info: (_o: object, message: string) => info.push(message),
    } as unknown as NonNullable<InsightsStoreOptions['logger']>,
  };
}

function answer(overrides: Partial<AnswerRecord> = {}): AnswerRecord {
  return {
    guildId: 'guild-a', channelId: 'channel-1', via: 'slash', question: 'When is the festival?', answered: true,
    quotes: [{ source: 'festival.md', title: 'Town festival', sentence: 3, text: 'The festival opens on 4 May.' }],
    ...overrides,
  };
}

describe('InsightsStore', () => {
  it('creates the file in WAL mode at the current schema, and records an answer with its quotes', () => {
    const store = InsightsStore.open({ path: dbPath });
    expect(store.status()).toEqual({ state: 'ready', path: dbPath });
    const id = store.record(answer({ confident: false, quotes: [
      { source: 'festival.md', title: 'Town festival', sentence: 3, text: 'The festival opens on 4 May.' },
      { source: 'parade.md', title: 'Parade', sentence: 1, text: 'The parade follows.' },
    ] }));
    expect(id).toBeTypeOf('number');
    const declined = store.record(answer({ question: 'Who won the cup?', answered: false, declineReason: 'no-match', quotes: [] }));
    const read = store.read('guild-a');
    if (!read.ok) throw new Error(read.reason);
    expect(read.answers.map((a) => [a.id, a.question, a.answered, a.confident, a.declineReason, a.quotes.map((q) => `${q.source}#${q.sentence}`)])).toEqual([
      [id, 'When is the festival?', true, false, null, ['festival.md#3', 'parade.md#1']],
      [declined, 'Who won the cup?', false, null, 'no-match', []],
    ]);
    store.close();
    const raw = new Database(dbPath, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
  });

  it('counts one vote per member per answer, lets a member change it, and keeps each server to itself', () => {
    const store = InsightsStore.open({ path: dbPath });
    const id = store.record(answer())!;
    expect(store.vote(id, 'guild-a', 'member-1', 1)).toEqual({ kind: 'recorded', vote: 1 });
    expect(store.vote(id, 'guild-a', 'member-1', 1)).toEqual({ kind: 'recorded', vote: 1 });
    expect(store.vote(id, 'guild-a', 'member-2', 1)).toEqual({ kind: 'recorded', vote: 1 });
    expect(store.vote(id, 'guild-a', 'member-1', -1)).toEqual({ kind: 'recorded', vote: -1, previous: 1 });
    // The same answer id pressed from another server is not that server's answer.
    expect(store.vote(id, 'guild-b', 'member-3', -1)).toEqual({ kind: 'gone' });
    expect(store.vote(id + 1000, 'guild-a', 'member-1', 1)).toEqual({ kind: 'gone' });
    const read = store.read('guild-a');
    expect(read.ok && read.answers.map((a) => [a.up, a.down])).toEqual([[1, 1]]);
    expect(store.read('guild-b')).toEqual({ ok: true, answers: [] });
    store.close();
  });

  it('stores no member id: votes hold a keyed hash that differs per answer, and the key lives outside the database', () => {
    const store = InsightsStore.open({ path: dbPath });
    const first = store.record(answer())!;
    const second = store.record(answer())!;
    store.vote(first, 'guild-a', '123456789012345678', 1);
    store.vote(second, 'guild-a', '123456789012345678', 1);
    store.close();
    const bytes = readFileSync(dbPath).toString('latin1') + readFileSync(`${dbPath}-wal`, { flag: 'a+' }).toString('latin1');
    expect(bytes).not.toContain('123456789012345678');
    const raw = new Database(dbPath, { readonly: true });
    const voters = raw.prepare('SELECT voter FROM votes ORDER BY answer_id').pluck().all() as string[];
    raw.close();
    expect(voters).toHaveLength(2);
    expect(voters[0]).not.toBe(voters[1]);
    expect(voters[0]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const keyFile = join(dir, 'data', 'insights.key');
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  });

  it('keeps answers and votes across a restart, and a member voting again after it changes their vote', () => {
    const before = InsightsStore.open({ path: dbPath });
    const id = before.record(answer())!;
    before.vote(id, 'guild-a', 'member-1', 1);
    before.vote(id, 'guild-a', 'member-2', 1);
    before.close();

    const after = InsightsStore.open({ path: dbPath });
    let read = after.read('guild-a');
    expect(read.ok && read.answers.map((a) => [a.id, a.up, a.down])).toEqual([[id, 2, 0]]);
    expect(after.vote(id, 'guild-a', 'member-1', -1)).toEqual({ kind: 'recorded', vote: -1, previous: 1 });
    read = after.read('guild-a');
    expect(read.ok && read.answers.map((a) => [a.up, a.down])).toEqual([[1, 1]]);
    // New answers go on from the old ids: a button from before the restart never points at a new answer.
    expect(after.record(answer())).toBeGreaterThan(id);
    after.close();
  });

  it('lets two processes (shards) write at once without losing a record', async () => {
    InsightsStore.open({ path: dbPath }).close(); // the schema exists; each writer still migrates-or-skips
    const writer = fileURLToPath(new URL('support/writer.ts', import.meta.url));
    const startAt = Date.now() + 1_500;
    const run = (guild: string) =>
      new Promise<{ recorded: number; voted: number; warnings: string[] }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', writer, dbPath, guild, '400', String(startAt)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('error', reject);
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`writer exited ${code}`))));
      });
    const results = await Promise.all([run('guild-a'), run('guild-b')]);
    expect(results).toEqual([
      { recorded: 400, voted: 400, warnings: [] },
      { recorded: 400, voted: 400, warnings: [] },
    ]);
    const store = InsightsStore.open({ path: dbPath });
    for (const guild of ['guild-a', 'guild-b']) {
      const read = store.read(guild);
      if (!read.ok) throw new Error(read.reason);
      expect(read.answers).toHaveLength(400);
      expect(new Set(read.answers.map((a) => a.question)).size).toBe(400);
      expect(read.answers.every((a) => a.guildId === guild && a.quotes.length === 1 && a.up + a.down === 1)).toBe(true);
    }
    store.close();
    const raw = new Database(dbPath, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  }, 60_000);

  it('migrates a new file once when two processes open it together', async () => {
    const opener = `import { InsightsStore } from ${JSON.stringify(fileURLToPath(new URL('../../src/insights/store.ts', import.meta.url)))};
      const s = InsightsStore.open({ path: ${JSON.stringify(dbPath)} }); process.stdout.write(s.status().state); s.close();`;
    const run = () =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', opener], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.on('exit', () => resolve(out));
      });
    expect(await Promise.all([run(), run(), run()])).toEqual(['ready', 'ready', 'ready']);
    const raw = new Database(dbPath, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
  }, 60_000);

  it('deletes answers past the retention, with their quotes and votes, at open and on schedule', async () => {
    let now = Date.UTC(2026, 5, 1);
    const clock = () => now;
    const first = InsightsStore.open({ path: dbPath, retentionDays: 90, now: clock });
    const old = first.record(answer({ question: 'old', askedAt: new Date(now - 100 * DAY) }))!;
    first.vote(old, 'guild-a', 'member-1', -1);
    first.record(answer({ question: 'recent', askedAt: new Date(now - 10 * DAY) }));
    first.record(answer({ question: 'edge', askedAt: new Date(now - 89 * DAY) }));
    first.close();

    const store = InsightsStore.open({ path: dbPath, retentionDays: 90, now: clock });
    let read = store.read('guild-a');
    expect(read.ok && read.answers.map((a) => a.question)).toEqual(['edge', 'recent']);
    expect(store.vote(old, 'guild-a', 'member-1', 1)).toEqual({ kind: 'gone' });

    now += 2 * DAY; // "edge" is now 91 days old
    const stop = store.scheduleRetention(20);
    await new Promise((resolve) => setTimeout(resolve, 120));
    stop();
    read = store.read('guild-a');
    expect(read.ok && read.answers.map((a) => a.question)).toEqual(['recent']);
    store.close();

    const raw = new Database(dbPath, { readonly: true });
    expect(raw.prepare('SELECT COUNT(*) FROM quotes').pluck().get()).toBe(1);
    expect(raw.prepare('SELECT COUNT(*) FROM votes').pluck().get()).toBe(0);
    raw.close();
  });

  it('is unavailable, with one warning and a reason, when the file is not a database', () => {
    mkdirSync(join(dir, 'data'));
    writeFileSync(dbPath, 'This was never a SQLite file. '.repeat(500));
    const { logger, warn } = logs();
    const store = InsightsStore.open({ path: dbPath, logger });
    expect(store.status()).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/is damaged \(file is not a database\)/) });
    expect(store.record(answer())).toBeUndefined();
    expect(store.record(answer())).toBeUndefined();
    expect(store.vote(1, 'guild-a', 'member-1', 1)).toMatchObject({ kind: 'unavailable', reason: expect.stringMatching(/damaged/) });
    expect(store.read('guild-a')).toMatchObject({ ok: false, reason: expect.stringMatching(/damaged/) });
    expect(warn).toHaveLength(1);
    // Left as it was, for the operator to recover or move away.
    expect(readFileSync(dbPath, 'utf8')).toMatch(/^This was never a SQLite file/);
  });

  it('stops recording with one warning when pages are damaged after it opened', () => {
    const seed = InsightsStore.open({ path: dbPath });
    for (let i = 0; i < 300; i++) seed.record(answer({ question: `question number ${i} `.repeat(20) }));
    seed.close(); // checkpoints the WAL into the main file
    const { logger, warn } = logs();
    const store = InsightsStore.open({ path: dbPath, logger });
    // Overwrite every page after the first (the header and schema stay readable, the tables do not).
    const fd = openSync(dbPath, 'r+');
    const size = statSync(dbPath).size;
    const garbage = Buffer.alloc(size - 4096, 0x5a);
    writeSync(fd, garbage, 0, garbage.length, 4096);
    closeSync(fd);
    const results = [store.record(answer()), store.record(answer())];
    const read = store.read('guild-a');
    expect(results).toEqual([undefined, undefined]);
    expect(store.status()).toMatchObject({ state: 'failing', reason: expect.stringMatching(/damaged|malformed/) });
    expect(read.ok).toBe(false);
    expect(warn).toHaveLength(1);
    store.close();
  });

  it('gives up on a write another process holds locked, with one warning, and records again once it is free', () => {
    const { logger, warn, info } = logs();
    const store = InsightsStore.open({ path: dbPath, logger, busyTimeoutMs: 50 });
    const other = new Database(dbPath);
    other.exec('BEGIN IMMEDIATE; INSERT INTO answers (guild_id, channel_id, asked_at, via, question, answered) VALUES (\'x\', \'y\', 0, \'other\', \'q\', 1);');
    expect(store.record(answer())).toBeUndefined();
    expect(store.vote(1, 'guild-a', 'member-1', 1)).toMatchObject({ kind: 'unavailable', reason: expect.stringMatching(/locked by another process/) });
    expect(store.status()).toMatchObject({ state: 'failing', reason: expect.stringMatching(/locked/) });
    expect(warn.map((w) => w.message)).toEqual(['insights database cannot be written; answering goes on without recording']);
    // Reads still work while another process writes (WAL).
    expect(store.read('guild-a')).toEqual({ ok: true, answers: [] });
    other.exec('ROLLBACK');
    other.close();
    expect(store.record(answer())).toBeTypeOf('number');
    expect(store.status().state).toBe('ready');
    expect(info).toEqual(['insights database works again; recording resumed']);
    store.close();
  });

  it('is unavailable when the data folder cannot be created, and leaves a newer schema alone', () => {
    writeFileSync(join(dir, 'data'), 'a file where the folder should be');
    const blocked = InsightsStore.open({ path: dbPath });
    expect(blocked.status()).toMatchObject({ state: 'unavailable' });
    expect(blocked.record(answer())).toBeUndefined();

    const newer = join(dir, 'newer.sqlite');
    const raw = new Database(newer);
    raw.pragma('user_version = 99');
    raw.close();
    const store = InsightsStore.open({ path: newer });
    expect(store.status()).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/schema is version 99, newer than this bot's/) });
    const check = new Database(newer, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(99);
    expect(check.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").pluck().get()).toBe(0);
    check.close();
  });

  it('with INSIGHTS=false records nothing and creates no file', () => {
    const store = InsightsStore.off();
    expect(store.record(answer())).toBeUndefined();
    expect(store.vote(1, 'guild-a', 'm', 1)).toEqual({ kind: 'unavailable', reason: 'insights are turned off (INSIGHTS=false)' });
    expect(store.read('guild-a')).toEqual({ ok: false, reason: 'insights are turned off (INSIGHTS=false)' });
    expect(store.status()).toEqual({ state: 'off' });
  });
});
