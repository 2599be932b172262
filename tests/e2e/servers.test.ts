/**
 * End to end: one bot in two servers. The real bot (discord.js over HTTP and WebSocket) against a FakeDiscord
 * holding two guilds, the shared articles in a temp SOURCES_DIR, each server's own under a temp DATA_DIR, and
 * a loopback web server for the uploaded files. Each server's articles and settings are its own.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordBot, type RunningBot } from '../../src/discord/bot';
import { REFUSAL } from '../../src/discord/commands/source';
import { ArticleLibrary } from '../../src/sources/library';
import { ServerLibraries, serverArticlesFolder } from '../../src/sources/server-libraries';
import { memoryLogger } from '../discord/fakes';
import { attachment, serveUploads } from './support/attachments';
import { articleFile, botConfig, MANAGER_ROLE, RATES, RATES_TITLE, sourcesFolder } from './support/bot-setup';
import { FakeDiscord, type MemberSpec } from './support/fake-discord';

const ZOO_UPLOAD = articleFile(
  'Panda cub born at the city zoo',
  'A panda cub was born at the city zoo on Tuesday, the first in its 90-year history.',
  'Keepers named the cub Bao, which means "treasure".',
);
const ZOO_FILE = 'panda-cub-born-at-the-city-zoo.md';
const ZOO_QUESTION = 'What did keepers name the panda cub?';
const EDITORS = { name: 'Editors', permissions: 0n };

const moderatorA: MemberSpec = { id: '123456789012345678', username: 'mod_anna', roles: ['Manager'] };
const moderatorB: MemberSpec = { id: '223456789012345678', username: 'mod_ben', roles: ['Manager'] };
const editor: MemberSpec = { id: '323456789012345678', username: 'ed_cleo', roles: ['Editors'] };

let fake: FakeDiscord;
let bot: RunningBot;
let servers: ServerLibraries;
let sharedDir: string;
let dataDir: string;
let files: Server;
let fileBase: string;
let guildA: string;
let guildB: string;
const log = memoryLogger();

async function startBot(): Promise<void> {
  const { library } = await ArticleLibrary.open({ sourcesPath: sharedDir, logger: log.logger, allowPrivateUrls: true });
  // The uploads come from 127.0.0.1 here.
  servers = new ServerLibraries({ shared: library, dataDir, allowPrivateUrls: true, logger: log.logger });
  bot = await startDiscordBot({ config: botConfig(fake, sharedDir, { discordToken: 'e2e-servers-token' }), library, servers, logger: log.logger });
}

beforeAll(async () => {
  ({ server: files, base: fileBase } = await serveUploads({ '/attachments/zoo.md': ZOO_UPLOAD }));
  sharedDir = sourcesFolder('qa-bot-e2e-shared-', { 'rates.txt': articleFile(RATES_TITLE, RATES.held, RATES.markets) });
  dataDir = sourcesFolder('qa-bot-e2e-data-', {});
  fake = await FakeDiscord.start({ roles: [MANAGER_ROLE, EDITORS], secondGuildName: 'Sports desk' });
  guildA = fake.guildId;
  guildB = fake.secondGuildId ?? '';
  await startBot();
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await new Promise((resolve) => files?.close(resolve));
  for (const dir of [sharedDir, dataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

function upload(guildId: string, member: MemberSpec) {
  const file = attachment({ filename: 'zoo.md', url: `${fileBase}/attachments/zoo.md`, size: Buffer.byteLength(ZOO_UPLOAD) });
  return fake.sendInteraction({ type: 'command', name: 'source', subcommand: 'add', options: { file: file.id }, attachments: [file], member, guildId });
}

async function answerIn(guildId: string, question: string) {
  const handle = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question }, guildId });
  return (await handle.callback()).data.embeds?.[0];
}

async function removeIn(guildId: string, source: string, member: MemberSpec) {
  const handle = await fake.sendInteraction({ type: 'command', name: 'source', subcommand: 'remove', options: { source }, member, guildId });
  return (await handle.callback()).data;
}

const filesOf = (guildId: string) => {
  const folder = serverArticlesFolder(dataDir, guildId);
  return existsSync(folder) ? readdirSync(folder).filter((name) => !name.startsWith('.')) : [];
};

describe('two servers, each with its own articles', () => {
  it('a member of A who is not a moderator cannot add an article', async () => {
    const handle = await upload(guildA, { username: 'curious_reader' });
    expect((await handle.callback()).data).toMatchObject({ content: REFUSAL, flags: MessageFlags.Ephemeral });
    expect(filesOf(guildA)).toEqual([]);
  });

  it("A's moderator uploads an article: it is saved in A's folder and A answers from it", async () => {
    const handle = await upload(guildA, moderatorA);
    expect((await handle.original()).embeds[0]?.title).toBe('Added: Panda cub born at the city zoo');
    expect(filesOf(guildA)).toEqual([ZOO_FILE]);
    expect(filesOf(guildB)).toEqual([]);
    expect(readdirSync(sharedDir)).toEqual(['rates.txt']);
    expect((await answerIn(guildA, ZOO_QUESTION))?.description).toContain('Keepers named the cub Bao');
  });

  it('B does not answer from it, nor offer it in autocomplete', async () => {
    const answer = await answerIn(guildB, ZOO_QUESTION);
    expect(answer?.title).toBe('Not answered by the loaded articles');
    expect(JSON.stringify(answer)).not.toContain('Bao');
    const complete = (guildId: string) =>
      fake.sendInteraction({ type: 'autocomplete', name: 'ask', focused: 'source', options: { question: 'x', source: 'panda' }, guildId }).then((h) => h.choices());
    expect(await complete(guildB)).toEqual([]);
    expect(await complete(guildA)).toEqual([{ name: 'Panda cub born at the city zoo', value: ZOO_FILE }]);
  });

  it('a shared article answers in both servers', async () => {
    for (const guildId of [guildA, guildB]) expect((await answerIn(guildId, 'What rate did the central bank keep?'))?.description).toContain('5.25 percent');
  });

  it('/sources lists both groups, marked, in A; only the shared ones in B', async () => {
    const list = async (guildId: string) => (await (await fake.sendInteraction({ type: 'command', name: 'sources', guildId })).callback()).data.embeds?.[0];
    const inA = await list(guildA);
    expect(inA?.description).toContain('🌐 shared · `rates.txt`');
    expect(inA?.description).toContain(`🏠 this server · \`${ZOO_FILE}\``);
    expect(inA?.footer?.text).toContain("1 shared · 1 this server's");
    const inB = await list(guildB);
    expect(inB?.title).toBe('Loaded articles (1)');
    expect(inB?.description).not.toContain('Panda');
  });

  it("B's moderator cannot remove A's article, and A's file stays on disk", async () => {
    const reply = await removeIn(guildB, ZOO_FILE, moderatorB);
    expect(reply).toMatchObject({ flags: MessageFlags.Ephemeral, content: expect.stringContaining(`No source named \`${ZOO_FILE}\``) });
    const suggestions = await fake.sendInteraction({ type: 'autocomplete', name: 'source', subcommand: 'remove', focused: 'source', options: { source: '' }, member: moderatorB, guildId: guildB });
    expect(await suggestions.choices()).toEqual([]);
    expect(filesOf(guildA)).toEqual([ZOO_FILE]);
    expect((await answerIn(guildA, ZOO_QUESTION))?.description).toContain('Bao');
  });

  it('no server can remove a shared article: a clear refusal, nothing changes', async () => {
    for (const [guildId, member] of [[guildA, moderatorA], [guildB, moderatorB]] as const) {
      const reply = await removeIn(guildId, 'rates.txt', member);
      expect(reply.content).toContain('is a shared article: it is answered in every server and only the bot\'s operator can remove it');
      expect(reply.components ?? []).toEqual([]);
    }
    expect(readdirSync(sharedDir)).toEqual(['rates.txt']);
    const suggestions = await fake.sendInteraction({ type: 'autocomplete', name: 'source', subcommand: 'remove', focused: 'source', options: { source: '' }, member: moderatorA, guildId: guildA });
    expect(await suggestions.choices()).toEqual([{ name: 'Panda cub born at the city zoo', value: ZOO_FILE }]);
  });

  it("/settings moderator-role makes a role moderators in that server only, stored in the server's settings.json", async () => {
    const editorsRole = fake.roleId('Editors');
    expect((await (await upload(guildA, editor)).callback()).data.content).toBe(REFUSAL);
    const set = await fake.sendInteraction({ type: 'command', name: 'settings', subcommand: 'moderator-role', options: { role: editorsRole }, member: moderatorA, guildId: guildA });
    expect((await set.original()).content).toContain(`<@&${editorsRole}>`);
    expect(await servers.moderatorRole(guildA)).toBe(editorsRole);
    expect(existsSync(join(dataDir, 'guilds', guildA, 'settings.json'))).toBe(true);
    // The same role means nothing in B.
    expect((await (await upload(guildB, editor)).callback()).data.content).toBe(REFUSAL);
    expect(filesOf(guildB)).toEqual([]);
    // An editor of A may now change A's settings; clearing takes the role back.
    const cleared = await fake.sendInteraction({ type: 'command', name: 'settings', subcommand: 'moderator-role', member: editor, guildId: guildA });
    expect((await cleared.original()).content).toContain('Moderator role cleared');
    expect(await servers.moderatorRole(guildA)).toBeUndefined();
    expect((await (await upload(guildA, editor)).callback()).data.content).toBe(REFUSAL);
  });

  it("a server whose index was dropped answers again after a rebuild, and the shared index is not rebuilt", async () => {
    const sharedBefore = servers.shared.counts();
    expect(servers.loadedServers()).toContain(guildA);
    servers.drop(guildA);
    expect(servers.loadedServers()).not.toContain(guildA);
    expect((await answerIn(guildA, ZOO_QUESTION))?.description).toContain('Keepers named the cub Bao');
    expect(servers.loadedServers()).toContain(guildA);
    expect(servers.shared.counts()).toBe(sharedBefore);
  });

  it('after a restart A still answers from its article, and B still does not', async () => {
    await bot.stop();
    await startBot();
    expect(servers.loadedServers()).toEqual([]);
    expect((await answerIn(guildA, ZOO_QUESTION))?.description).toContain('Keepers named the cub Bao');
    expect((await answerIn(guildB, ZOO_QUESTION))?.title).toBe('Not answered by the loaded articles');
  });
});
