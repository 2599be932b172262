/**
 * `npm run start:sharded` end to end: the real src/shard-manager.ts (discord.js ShardingManager) spawns two
 * shard processes running src/main.ts against a FakeDiscord that recommends 2 shards. A /reload on one
 * shard reaches the other (once, no loop), /sources is the same on both, and SIGTERM stops everything.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_INTENTS } from '../../src/discord/access';
import { articleFile, botEnv, HARBOUR_ARTICLE, HARBOUR_TITLE, MANAGER_ROLE, MODERATOR, RATES, RATES_TITLE, sourcesFolder } from './support/bot-setup';
import { FakeDiscord } from './support/fake-discord';
import { groupAlive, startNode, within, type NodeProcess } from './support/processes';

const PEER_RELOAD = 'reloaded the articles after a change on another shard';

let dir: string;
let fake: FakeDiscord;
let manager: NodeProcess;

beforeAll(async () => {
  dir = sourcesFolder('qa-bot-shards-', { 'rates.txt': articleFile(RATES_TITLE, RATES.held, RATES.cut) });
  // Two shards recommended; max_concurrency 2 lets both IDENTIFY at once (no 5 s spacing).
  fake = await FakeDiscord.start({ shards: 2, maxConcurrency: 2, timeoutMs: 15_000, roles: [MANAGER_ROLE] });
  manager = startNode('src/shard-manager.ts', botEnv(fake, dir));
  await manager.waitForLog((l) => l.msg === 'every shard of this machine is ready', 20_000);
});

afterAll(async () => {
  manager?.kill();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The /sources embed as answered by `shard`, with load times blanked: each process stamps its own load time. */
async function sourcesOn(shard: number) {
  const handle = await fake.sendInteraction({ type: 'command', name: 'sources', shard });
  const embed = (await handle.callback()).data.embeds?.[0];
  return embed && { ...embed, description: embed.description?.replace(/<t:\d+:R>/g, '<t:…:R>') };
}

const peerReloads = () => manager.logs.filter((l) => l.msg === PEER_RELOAD);

describe('npm run start:sharded', () => {
  it('runs one process per shard: IDENTIFY [0, 2] and [1, 2], commands registered once', () => {
    expect(fake.gateway.identifies.map((i) => i.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    for (const identify of fake.gateway.identifies) expect(identify.intents).toBe(BOT_INTENTS);
    expect(fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/commands'))).toHaveLength(1);
    const pids = new Set(manager.logs.filter((l) => l.msg === 'shard process started').map((l) => l.pid));
    expect(pids.size).toBe(2);
    fake.assertNoSurprises();
  });

  it('answers on both shards, and /sources is the same on both', async () => {
    const [zero, one] = [await sourcesOn(0), await sourcesOn(1)];
    expect(zero?.title).toBe('Loaded articles (1)');
    expect(one).toEqual(zero);
  });

  it('a /reload on one shard reaches the other shard, once, with no loop', async () => {
    writeFileSync(join(dir, 'harbour.txt'), HARBOUR_ARTICLE);
    const reload = await fake.sendInteraction({ type: 'command', name: 'reload', member: MODERATOR, shard: 1 });
    expect((await reload.original()).embeds[0]?.description).toContain('Articles: 1 → 2');

    await manager.waitForLog((l) => l.msg === PEER_RELOAD && l.shard === 0);
    await fake.waitForPresence(() => fake.gateway.presences.some((p) => p.shard === 0 && p.presence.activities[0]?.name === '2 articles · /ask'));
    const [zero, one] = [await sourcesOn(0), await sourcesOn(1)];
    expect(zero?.title).toBe('Loaded articles (2)');
    expect(one).toEqual(zero);
    const ask = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question: 'How long did the bridge repairs take?' }, shard: 0 });
    expect((await ask.callback()).data.embeds?.[0]?.description).toContain(HARBOUR_TITLE);

    // Give a loop time to show itself: one announcement, one relay, one reload elsewhere.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(peerReloads().map((l) => l.shard)).toEqual([0]);
    expect(manager.logs.filter((l) => l.msg === 'articles changed on a shard; reloading the others')).toHaveLength(1);
  });

  it('works the other way round too', async () => {
    rmSync(join(dir, 'harbour.txt'));
    const reload = await fake.sendInteraction({ type: 'command', name: 'reload', member: MODERATOR, shard: 0 });
    expect((await reload.original()).embeds[0]?.description).toContain('Articles: 2 → 1');
    await manager.waitForLog((l) => l.msg === PEER_RELOAD && l.shard === 1);
    expect((await sourcesOn(1))?.title).toBe('Loaded articles (1)');
    expect(peerReloads().map((l) => l.shard)).toEqual([0, 1]);
  });

  it('SIGTERM to the manager stops every shard, then it exits 0 with no process left', async () => {
    process.kill(manager.pid, 'SIGTERM');
    const exit = await within(manager.exited, 10_000, 'the manager exiting after SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(manager.logs.filter((l) => l.msg === 'Discord bot stopped').map((l) => l.shard).sort()).toEqual([0, 1]);
    expect(manager.logs.filter((l) => l.msg === 'shard process died')).toEqual([]);
    await expect.poll(() => groupAlive(manager.pid), { timeout: 2_000 }).toBe(false);
  });
});
