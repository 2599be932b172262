import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config';
import { readShardPlan } from '../../src/discord/sharding/manager';
import {
  isRelayed,
  joinShards,
  LIBRARY_CHANGED,
  managedShardIds,
  RELOAD_LIBRARY,
  type ManagerChannel,
  type ShardMessage,
} from '../../src/discord/sharding/peer';
import { ArticleLibrary } from '../../src/sources/library';
import { memoryLogger } from './fakes';

describe('readShardPlan (SHARD_COUNT, SHARD_LIST)', () => {
  it('defaults to Discord’s recommended count, all shards on this machine', () => {
    expect(readShardPlan({})).toEqual({ totalShards: 'auto', shardList: 'all' });
    expect(readShardPlan({ SHARD_COUNT: ' ', SHARD_LIST: '' })).toEqual({ totalShards: 'auto', shardList: 'all' });
  });

  it('takes a fixed count, and this machine’s part of it as ids and ranges', () => {
    expect(readShardPlan({ SHARD_COUNT: '4' })).toEqual({ totalShards: 4, shardList: 'all' });
    expect(readShardPlan({ SHARD_COUNT: '16', SHARD_LIST: '8-11, 3,3' })).toEqual({ totalShards: 16, shardList: [3, 8, 9, 10, 11] });
  });

  it.each([
    [{ SHARD_COUNT: 'auto' }, /SHARD_COUNT must be a whole number/],
    [{ SHARD_COUNT: '0' }, /SHARD_COUNT must be a whole number/],
    [{ SHARD_COUNT: '2.5' }, /SHARD_COUNT must be a whole number/],
    [{ SHARD_LIST: '0-1' }, /SHARD_LIST needs SHARD_COUNT/],
    [{ SHARD_COUNT: '4', SHARD_LIST: '2-5' }, /shard ids 4, 5, but shard ids go from 0 to SHARD_COUNT - 1 \(3\)/],
    [{ SHARD_COUNT: '4', SHARD_LIST: '3-1' }, /"3-1" is neither/],
    [{ SHARD_COUNT: '4', SHARD_LIST: 'first' }, /"first" is neither/],
    [{ SHARD_COUNT: '4', SHARD_LIST: ',' }, /SHARD_LIST is empty/],
  ])('refuses %o with a clear ConfigError', (env, message) => {
    expect(() => readShardPlan(env)).toThrow(ConfigError);
    expect(() => readShardPlan(env)).toThrow(message);
  });
});

describe('managedShardIds', () => {
  it('reads the shard ids a ShardingManager passes, and nothing otherwise', () => {
    expect(managedShardIds({})).toBeUndefined();
    expect(managedShardIds({ SHARDS: '1' })).toBeUndefined();
    expect(managedShardIds({ SHARDING_MANAGER: 'true', SHARDS: '1' })).toEqual([1]);
    expect(managedShardIds({ SHARDING_MANAGER: 'true', SHARDS: '[0,2]' })).toEqual([0, 2]);
  });
});

let dir: string;
let library: ArticleLibrary;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qa-bot-shard-peer-'));
  writeFileSync(join(dir, 'a.txt'), 'The harbour bridge reopened on Saturday.\n');
  ({ library } = await ArticleLibrary.open({ sourcesPath: dir }));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('isRelayed: which library changes the other shards must hear of', () => {
  it('a /reload that swapped the set, and every add and remove made here', async () => {
    const changes: boolean[] = [];
    library.onChange((change) => changes.push(isRelayed(change)));
    writeFileSync(join(dir, 'b.txt'), 'The ferry stopped running in May.\n');
    expect((await library.reload({ trigger: '/reload' })).after.sources).toBe(2);
    const added = await library.addSource({ text: 'The ferry returns in June.', format: 'text', addedBy: { id: '1', tag: 'mod' } });
    await library.removeSource(added.source.id, { id: '1', tag: 'mod' });
    expect(changes).toEqual([true, true, true]);
  });

  it('not a reload that failed (the old set still serves), nor one every shard makes by itself', async () => {
    const changes: boolean[] = [];
    library.onChange((change) => changes.push(isRelayed(change)));
    await library.reload({ trigger: 'watch', files: ['a.txt'] });
    await library.reload({ trigger: 'peer', fromShards: [0] });
    rmSync(dir, { recursive: true, force: true });
    expect((await library.reload({ trigger: '/reload' })).ok).toBe(false);
    expect(changes).toEqual([false, false, false]);
  });

  it('not a /reload that found the same files (a server reloading its own folder re-reads the shared one too)', async () => {
    const changes: boolean[] = [];
    library.onChange((change) => changes.push(isRelayed(change)));
    expect((await library.reload({ trigger: '/reload' })).changed).toBe(false);
    writeFileSync(join(dir, 'a.txt'), 'The harbour bridge reopened on Sunday.\n');
    expect((await library.reload({ trigger: '/reload' })).changed).toBe(true);
    rmSync(join(dir, 'a.txt'));
    expect((await library.reload({ trigger: '/reload' })).changed).toBe(true);
    expect(changes).toEqual([false, true, true]);
  });
});

/** A stand-in for the IPC channel to the manager. */
function fakeChannel() {
  const sent: ShardMessage[] = [];
  const listeners: ((message: unknown) => void)[] = [];
  let gone: (() => void) | undefined;
  const channel: ManagerChannel = {
    send: (message) => void sent.push(message),
    onMessage: (listener) => void listeners.push(listener),
    onDisconnect: (listener) => void (gone = listener),
  };
  return { channel, sent, deliver: (message: unknown) => listeners.forEach((l) => l(message)), disconnect: () => gone?.() };
}

const SHARD_ENV = { SHARDING_MANAGER: 'true', SHARDS: '1', SHARD_COUNT: '2' };

describe('joinShards', () => {
  it('is undefined outside a ShardingManager', () => {
    expect(joinShards(library, memoryLogger().logger, fakeChannel().channel, {})).toBeUndefined();
  });

  it('tells the manager when a handler changed the articles, with this shard id on the log', async () => {
    const { channel, sent } = fakeChannel();
    const log = memoryLogger();
    joinShards(library, log.logger, channel, SHARD_ENV);
    writeFileSync(join(dir, 'b.txt'), 'The ferry stopped running in May.\n');
    await library.reload({ trigger: '/reload' });
    expect(sent).toEqual([{ type: LIBRARY_CHANGED, from: [1] }]);
    expect(log.lines.find((l) => l.msg === 'articles changed on this shard; telling the other shards')?.shard).toBe(1);
  });

  it('reloads when another shard changed the articles, logs it, and does not announce it again', async () => {
    const { channel, sent, deliver } = fakeChannel();
    const log = memoryLogger();
    ({ library } = await ArticleLibrary.open({ sourcesPath: dir, logger: log.logger.child({ shard: 1 }) }));
    const reloads: unknown[] = [];
    library.onChange((change) => reloads.push(change));
    joinShards(library, log.logger, channel, SHARD_ENV)?.serve();
    writeFileSync(join(dir, 'b.txt'), 'The ferry stopped running in May.\n');
    deliver({ type: 'something else' });
    deliver({ type: RELOAD_LIBRARY, from: [0] });
    await expect.poll(() => reloads.length).toBe(1);
    expect(library.counts().sources).toBe(2);
    expect(sent).toEqual([]);
    expect(log.lines.find((l) => l.msg === 'reloaded the articles after a change on another shard')).toMatchObject({ shard: 1, fromShards: [0], ok: true });
  });

  it('stops the shard when the manager goes away', () => {
    const { channel, disconnect } = fakeChannel();
    let stopped = false;
    joinShards(library, memoryLogger().logger, channel, SHARD_ENV)?.onManagerGone(() => (stopped = true));
    disconnect();
    expect(stopped).toBe(true);
  });
});
