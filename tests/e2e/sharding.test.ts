/**
 * `npm run start:sharded` end to end: the real src/shard-manager.ts (discord.js ShardingManager) spawns two
 * shard processes running src/main.ts against a FakeDiscord that recommends 2 shards and holds two servers,
 * one on each shard, with the shared articles in a temp SOURCES_DIR and each server's own under a temp
 * DATA_DIR. A change a server's moderator makes on its shard (an upload, a remove, a /reload of its own
 * folder) leaves the other shard's indexes untouched; a change to the shared folder reaches the other shard
 * (once, no loop). What each shard built and swapped is read from its own diagnostics line at SIGTERM.
 */
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_INTENTS } from '../../src/discord/access';
import { serverArticlesFolder } from '../../src/sources/server-libraries';
import { attachment, serveUploads } from './support/attachments';
import { articleFile, botEnv, HARBOUR_ARTICLE, HARBOUR_TITLE, MANAGER_ROLE, MODERATOR, RATES, RATES_TITLE, sourcesFolder } from './support/bot-setup';
import { FakeDiscord, type MemberSpec } from './support/fake-discord';
import { shardOfGuild } from './support/gateway';
import { groupAlive, startNode, within, type NodeProcess } from './support/processes';

const PEER_RELOAD = 'reloaded the articles after a change on another shard';
const RELAYED = 'articles changed on a shard; reloading the others';
const BUILT = "built a server's index";
const ZOO_UPLOAD = articleFile('Panda cub born at the city zoo', 'Keepers named the panda cub Bao, which means "treasure".');
const ZOO_FILE = 'panda-cub-born-at-the-city-zoo.md';
const ZOO_QUESTION = 'What did keepers name the panda cub?';
const FERRY_ARTICLE = articleFile('Ferry returns to the island', 'The island ferry will run again from the first of June.');
const FERRY_QUESTION = 'When will the island ferry run again?';
const HARBOUR_QUESTION = 'How long did the bridge repairs take?';
const moderatorA: MemberSpec = { ...MODERATOR, id: '123456789012345678', username: 'mod_anna' };
const moderatorB: MemberSpec = { ...MODERATOR, id: '223456789012345678', username: 'mod_ben' };

let dir: string;
let dataDir: string;
let files: Server;
let fileBase: string;
let fake: FakeDiscord;
let manager: NodeProcess;
let guildA: string;
let guildB: string;
let shardA: number;
let shardB: number;

beforeAll(async () => {
  ({ server: files, base: fileBase } = await serveUploads({ '/attachments/zoo.md': ZOO_UPLOAD }));
  dir = sourcesFolder('qa-bot-shards-', { 'rates.txt': articleFile(RATES_TITLE, RATES.held, RATES.cut) });
  dataDir = sourcesFolder('qa-bot-shards-data-', {});
  // Two shards recommended; max_concurrency 2 lets both IDENTIFY at once (no 5 s spacing).
  fake = await FakeDiscord.start({ shards: 2, maxConcurrency: 2, timeoutMs: 15_000, roles: [MANAGER_ROLE], secondGuildName: 'Sports desk' });
  guildA = fake.guildId;
  guildB = fake.secondGuildId ?? '';
  [shardA, shardB] = [shardOfGuild(guildA, 2), shardOfGuild(guildB, 2)];
  // DEBUG: each shard logs every server index it builds. The uploads come from 127.0.0.1 here.
  manager = startNode('src/shard-manager.ts', { ...botEnv(fake, dir), DATA_DIR: dataDir, ALLOW_PRIVATE_URLS: 'true', LOG_LEVEL: 'debug' });
  await manager.waitForLog((l) => l.msg === 'every shard of this machine is ready', 60_000);
}, 70_000);

afterAll(async () => {
  manager?.kill();
  await fake?.close();
  await new Promise((resolve) => files?.close(resolve));
  for (const folder of [dir, dataDir]) if (folder) rmSync(folder, { recursive: true, force: true });
});

/** The /sources embed in a server (on its own shard), with load times blanked: each process stamps its own. */
async function sourcesIn(guildId: string) {
  const handle = await fake.sendInteraction({ type: 'command', name: 'sources', guildId });
  const embed = (await handle.callback()).data.embeds?.[0];
  return embed && { ...embed, description: embed.description?.replace(/<t:\d+:R>/g, '<t:…:R>') };
}

async function answerIn(guildId: string, question: string) {
  const handle = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question }, guildId });
  return (await handle.callback()).data.embeds?.[0];
}

async function reloadIn(guildId: string, member: MemberSpec): Promise<string> {
  const handle = await fake.sendInteraction({ type: 'command', name: 'reload', member, guildId });
  return (await handle.original()).embeds[0]?.description ?? '';
}

/** The custom_id of the button whose id starts with `prefix` on a bot message. */
function buttonId(message: APIMessage, prefix: string): string {
  const found = new RegExp(`"custom_id":"(${prefix}[^"]+)"`).exec(JSON.stringify(message.components ?? []));
  if (!found?.[1]) throw new Error(`no button ${prefix}… on the message`);
  return found[1];
}

const logsOf = (shard: number, msg: string) => manager.logs.filter((l) => l.shard === shard && l.msg === msg);
const presencesOf = (shard: number) => fake.gateway.presences.filter((p) => p.shard === shard).map((p) => p.presence.activities[0]?.name);

describe('npm run start:sharded', () => {
  it('runs one process per shard: IDENTIFY [0, 2] and [1, 2], each server on its own shard, commands registered once', () => {
    expect(fake.gateway.identifies.map((i) => i.shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    for (const identify of fake.gateway.identifies) expect(identify.intents).toBe(BOT_INTENTS);
    expect(shardA).not.toBe(shardB);
    expect(fake.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/commands'))).toHaveLength(1);
    const pids = new Set(manager.logs.filter((l) => l.msg === 'shard process started').map((l) => l.pid));
    expect(pids.size).toBe(2);
    fake.assertNoSurprises();
  });

  it("answers in both servers, each on its own shard, which builds only its own server's index", async () => {
    const [inA, inB] = [await sourcesIn(guildA), await sourcesIn(guildB)];
    expect(inA?.title).toBe('Loaded articles (1)');
    expect(inB).toEqual(inA);
    // The log line and the reply come over different pipes: wait for the line rather than race it.
    for (const shard of [shardA, shardB]) await manager.waitForLog((l) => l.msg === BUILT && l.shard === shard, 30_000);
    expect(logsOf(shardA, BUILT).map((l) => l.guildId)).toEqual([guildA]);
    expect(logsOf(shardB, BUILT).map((l) => l.guildId)).toEqual([guildB]);
  });

  it("A's moderator uploads, removes and reloads A's own articles on A's shard: nothing is relayed, B's shard is left alone", async () => {
    const file = attachment({ filename: 'zoo.md', url: `${fileBase}/attachments/zoo.md`, size: Buffer.byteLength(ZOO_UPLOAD) });
    const upload = await fake.sendInteraction({ type: 'command', name: 'source', subcommand: 'add', options: { file: file.id }, attachments: [file], member: moderatorA, guildId: guildA });
    expect((await upload.original()).embeds[0]?.title).toBe('Added: Panda cub born at the city zoo');
    expect((await answerIn(guildA, ZOO_QUESTION))?.description).toContain('Keepers named the panda cub Bao');
    expect((await answerIn(guildB, ZOO_QUESTION))?.title).toBe('Not answered by the loaded articles');

    const ask = await fake.sendInteraction({ type: 'command', name: 'source', subcommand: 'remove', options: { source: ZOO_FILE }, member: moderatorA, guildId: guildA });
    await ask.callback();
    const confirm = await fake.sendInteraction({ type: 'component', customId: buttonId(await ask.original(), 'source:remove:confirm:'), member: moderatorA, guildId: guildA });
    expect((await confirm.original()).embeds[0]?.title).toBe('Removed');

    // An article put straight into A's folder, then A's /reload: it re-reads A's folder and the (unchanged) shared one.
    const folderA = serverArticlesFolder(dataDir, guildA);
    mkdirSync(folderA, { recursive: true });
    writeFileSync(join(folderA, 'ferry.md'), FERRY_ARTICLE);
    expect(await reloadIn(guildA, moderatorA)).toContain('Articles: 1 → 2');
    expect((await answerIn(guildA, FERRY_QUESTION))?.description).toContain('The island ferry will run again');
    expect((await answerIn(guildB, FERRY_QUESTION))?.title).toBe('Not answered by the loaded articles');

    expect(logsOf(shardA, 'source added')).toMatchObject([{ guildId: guildA, source: ZOO_FILE }]);
    expect(logsOf(shardA, 'source removed')).toMatchObject([{ guildId: guildA, source: ZOO_FILE }]);
    // Nothing left A's shard: no announcement, no relay, no reload or build on B's shard.
    expect(manager.logs.filter((l) => l.msg === 'articles changed on this shard; telling the other shards')).toEqual([]);
    expect(manager.logs.filter((l) => l.msg === RELAYED)).toEqual([]);
    expect(logsOf(shardB, PEER_RELOAD)).toEqual([]);
    expect(logsOf(shardB, BUILT).map((l) => l.guildId)).toEqual([guildB]);
    // The presence counts the shared articles, the same in every server: A's own never show in it.
    expect(presencesOf(shardA)).toEqual(expect.arrayContaining(['1 article · /ask']));
    expect(presencesOf(shardA).filter((name) => name !== undefined && name !== '1 article · /ask')).toEqual([]);
  });

  it("a change to the shared folder, reloaded from B's shard, reaches A's shard once", async () => {
    writeFileSync(join(dir, 'harbour.txt'), HARBOUR_ARTICLE);
    expect(await reloadIn(guildB, moderatorB)).toContain('Articles: 1 → 2');

    await manager.waitForLog((l) => l.msg === PEER_RELOAD && l.shard === shardA, 30_000);
    await fake.waitForPresence(() => presencesOf(shardA).includes('2 articles · /ask'));
    const [inA, inB] = [await sourcesIn(guildA), await sourcesIn(guildB)];
    expect(inA?.title).toBe('Loaded articles (3)');
    expect(inA?.description).toContain('🏠 this server · `ferry.md`');
    expect(inB?.title).toBe('Loaded articles (2)');
    expect((await answerIn(guildA, HARBOUR_QUESTION))?.description).toContain(HARBOUR_TITLE);
    expect(manager.logs.filter((l) => l.msg === RELAYED)).toMatchObject([{ shard: shardB, to: [shardA] }]);
  });

  it('works the other way round too', async () => {
    rmSync(join(dir, 'harbour.txt'));
    expect(await reloadIn(guildA, moderatorA)).toContain('Articles: 3 → 2');
    await manager.waitForLog((l) => l.msg === PEER_RELOAD && l.shard === shardB, 30_000);
    expect((await sourcesIn(guildB))?.title).toBe('Loaded articles (1)');
    expect(manager.logs.filter((l) => l.msg === PEER_RELOAD).map((l) => l.shard)).toEqual([shardA, shardB]);
  });

  it('SIGTERM stops every shard, then the manager exits 0; each shard built and swapped only what it had to', async () => {
    process.kill(manager.pid, 'SIGTERM');
    const exit = await within(manager.exited, 30_000, 'the manager exiting after SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(manager.logs.filter((l) => l.msg === 'Discord bot stopped').map((l) => l.shard).sort()).toEqual([0, 1]);
    expect(manager.logs.filter((l) => l.msg === 'shard process died')).toEqual([]);
    await expect.poll(() => groupAlive(manager.pid), { timeout: 5_000 }).toBe(false);

    const [onA] = logsOf(shardA, 'indexes at shutdown');
    const [onB] = logsOf(shardB, 'indexes at shutdown');
    // A's shard: the shared index loaded at start, reloaded by A's two /reloads and once for B's change;
    // A's own built once, then swapped by the upload, the remove and A's two /reloads. No index of B.
    expect(onA).toMatchObject({ shared: { generation: 4 }, servers: { builds: 1, rebuilds: 0, loaded: 1, recent: { [guildA]: { generation: 5, builds: 1 } } } });
    // B's shard: the shared index loaded at start, reloaded by B's /reload and once for A's shared change only;
    // B's own built once and swapped only by B's /reload: nothing A did in its own folder reached it.
    expect(onB).toMatchObject({ shared: { generation: 3 }, servers: { builds: 1, rebuilds: 0, loaded: 1, recent: { [guildB]: { generation: 2, builds: 1 } } } });
    expect(Object.keys((onA?.servers as { recent: object }).recent)).toEqual([guildA]);
    expect(Object.keys((onB?.servers as { recent: object }).recent)).toEqual([guildB]);
  });
});
