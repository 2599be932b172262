/**
 * End to end: 👍/👎 under answers and /insights, with the real bot against FakeDiscord and a real SQLite file.
 * Two servers (two loopback Discords, each with its own guild, one bot each) write to the same database
 * through their own connections, as two shards do: each server's /insights shows only its own questions.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MessageFlags, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordBot, type RunningBot } from '../../src/discord/bot';
import { REFUSAL } from '../../src/discord/commands/insights';
import { VOTE_GONE } from '../../src/discord/render/insights';
import { InsightsStore } from '../../src/insights/store';
import { ArticleLibrary } from '../../src/sources/library';
import { memoryLogger } from '../discord/fakes';
import { articleFile, botConfig, HARBOUR_ARTICLE, HARBOUR_TITLE, MANAGER_ROLE, MODERATOR, RATES, RATES_TITLE, sourcesFolder } from './support/bot-setup';
import { FakeDiscord, type CallbackData } from './support/fake-discord';

interface Server {
  fake: FakeDiscord;
  store: InsightsStore;
  bot: RunningBot;
}

let sources: string;
let dataDir: string;
let dbPath: string;
let library: ArticleLibrary;
let a: Server;
let b: Server;

async function startServer(fake: FakeDiscord, store: InsightsStore, token: string): Promise<Server> {
  const bot = await startDiscordBot({ config: botConfig(fake, sources, { discordToken: token }), library, logger: memoryLogger().logger, insights: store });
  return { fake, store, bot };
}

async function ask(server: Server, question: string): Promise<CallbackData> {
  const handle = await server.fake.sendInteraction({ type: 'command', name: 'ask', options: { question } });
  return (await handle.callback()).data;
}

function voteIds(body: { components?: unknown[] }): { up: string; down: string } {
  const ids = [...JSON.stringify(body.components ?? []).matchAll(/"custom_id":"(vote:\d+:(?:up|down))"/g)].map((m) => m[1]!);
  return { up: ids.find((id) => id.endsWith(':up'))!, down: ids.find((id) => id.endsWith(':down'))! };
}

async function press(server: Server, customId: string, memberId: string, message?: APIMessage): Promise<CallbackData> {
  const handle = await server.fake.sendInteraction({ type: 'component', customId, member: { id: memberId, username: `member${memberId.slice(-2)}` }, ...(message ? { message } : {}) });
  return (await handle.callback()).data;
}

async function insightsReport(server: Server, days?: number): Promise<CallbackData> {
  const handle = await server.fake.sendInteraction({ type: 'command', name: 'insights', subcommand: 'report', options: days ? { days } : {}, member: MODERATOR });
  return (await handle.callback()).data;
}

const embedText = (data: CallbackData) => JSON.stringify(data.embeds ?? []);

beforeAll(async () => {
  sources = sourcesFolder('qa-bot-e2e-insights-', { 'rates.txt': articleFile(RATES_TITLE, RATES.held, RATES.markets), 'harbour.txt': HARBOUR_ARTICLE });
  dataDir = mkdtempSync(join(tmpdir(), 'qa-bot-e2e-insights-data-'));
  dbPath = join(dataDir, 'bot.sqlite');
  ({ library } = await ArticleLibrary.open({ sourcesPath: sources }));
  const [fakeA, fakeB] = await Promise.all([FakeDiscord.start({ roles: [MANAGER_ROLE] }), FakeDiscord.start({ roles: [MANAGER_ROLE] })]);
  a = await startServer(fakeA, InsightsStore.open({ path: dbPath }), 'e2e-insights-a');
  b = await startServer(fakeB, InsightsStore.open({ path: dbPath }), 'e2e-insights-b');
  expect(a.fake.guildId).not.toBe(b.fake.guildId);
});

afterAll(async () => {
  for (const server of [a, b]) {
    await server?.bot.stop();
    server?.store.close();
    await server?.fake.close();
  }
  rmSync(sources, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('votes and /insights', () => {
  let harbourAnswer: { up: string; down: string };

  it('puts 👍/👎 under /ask and mention answers; a vote counts once per member and can be changed', async () => {
    const answer = await ask(a, 'What did the engineers replace on the bridge?');
    expect(embedText(answer)).toContain('forty steel cables');
    harbourAnswer = voteIds(answer);
    expect(harbourAnswer.up).toMatch(/^vote:\d+:up$/);

    expect(await press(a, harbourAnswer.up, '100000000000000011')).toMatchObject({ content: 'Thanks — recorded 👍.', flags: MessageFlags.Ephemeral });
    expect(await press(a, harbourAnswer.up, '100000000000000011')).toMatchObject({ content: 'Thanks — recorded 👍.' });
    expect(await press(a, harbourAnswer.down, '100000000000000011')).toMatchObject({ content: 'Thanks — recorded: changed to 👎.', flags: MessageFlags.Ephemeral });
    await press(a, harbourAnswer.down, '100000000000000012');

    const mention = await a.fake.sendMessage({ content: 'When did the harbour bridge reopen?', mentionsBot: true });
    const reply = await mention.reply();
    expect(voteIds(reply).up).toMatch(/^vote:\d+:up$/);
    expect(await press(a, voteIds(reply).up, '100000000000000013', reply)).toMatchObject({ content: 'Thanks — recorded 👍.' });
  });

  it("shows moderators their own server's missed questions, most 👎 answers and articles, never another server's", async () => {
    await ask(a, 'When is the festival?');
    await ask(a, 'festival date?');
    await ask(a, 'when is the festival');
    await ask(b, 'Who won the regatta?');
    const regatta = await ask(b, 'Regatta winner?');
    await press(b, voteIds(regatta).down, '100000000000000021');

    const reportA = await insightsReport(a);
    expect(reportA.flags).toBe(MessageFlags.Ephemeral);
    const fields = reportA.embeds?.[0]?.fields ?? [];
    expect(fields.map((f) => f.name)).toEqual(['Questions the articles miss', 'Answers with the most 👎', 'Per article']);
    expect(fields[0]!.value).toMatch(/^3× \*\*festival\*\*: “When is the festival\?” ×2 · “festival date\?”/);
    expect(fields[1]!.value).toContain('👎 2 · 👍 0 — “What did the engineers replace on the bridge?”');
    expect(fields[1]!.value).toContain('Engineers replaced forty steel cables and repainted the main span.');
    expect(fields[2]!.value).toContain(`2 answers · 👍 1 · 👎 2 — ${HARBOUR_TITLE}`);
    expect(embedText(reportA)).not.toMatch(/regatta/i);

    const reportB = embedText(await insightsReport(b, 30));
    expect(reportB).toMatch(/regatta/i);
    expect(reportB).not.toMatch(/festival|engineers/i);
  });

  it('keeps /insights to moderators, and /insights export attaches a CSV of this server only', async () => {
    const refused = await a.fake.sendInteraction({ type: 'command', name: 'insights', subcommand: 'report', member: { id: '100000000000000014', username: 'member14' } });
    expect((await refused.callback()).data).toMatchObject({ content: REFUSAL, flags: MessageFlags.Ephemeral });

    const exported = await a.fake.sendInteraction({ type: 'command', name: 'insights', subcommand: 'export', member: MODERATOR });
    const callback = await a.fake.waitForRequest((r) => r.path.includes(`/interactions/${exported.id}/`) && r.files.length > 0);
    expect(callback.files[0]!.name).toBe(`insights-${a.fake.guildId}-${new Date().toISOString().slice(0, 10)}.csv`);
    expect((await exported.callback()).data).toMatchObject({ content: '5 recorded answers.', flags: MessageFlags.Ephemeral });
  });

  it('takes a vote on an answer from before a restart, and says so when the answer is gone', async () => {
    await a.bot.stop();
    a.store.close();
    a = await startServer(a.fake, InsightsStore.open({ path: dbPath }), 'e2e-insights-a2');
    const message = a.fake.channelMessages().find((m) => JSON.stringify(m.components ?? []).includes(harbourAnswer.up));
    expect(await press(a, harbourAnswer.up, '100000000000000012', message)).toMatchObject({ content: 'Thanks — recorded: changed to 👍.' });

    const raw = new Database(dbPath);
    raw.prepare('DELETE FROM answers WHERE id = ?').run(Number(/^vote:(\d+)/.exec(harbourAnswer.up)![1]));
    raw.close();
    expect(await press(a, harbourAnswer.down, '100000000000000011', message)).toMatchObject({ content: VOTE_GONE, flags: MessageFlags.Ephemeral });
  });
});

describe('a database that cannot be used', () => {
  it('never stops answering; the answer has no vote buttons and /insights says why', async () => {
    const broken = join(dataDir, 'broken.sqlite');
    writeFileSync(broken, 'not a database '.repeat(300));
    const log = memoryLogger();
    const fake = await FakeDiscord.start({ roles: [MANAGER_ROLE] });
    const store = InsightsStore.open({ path: broken, logger: log.logger });
    const bot = await startDiscordBot({ config: botConfig(fake, sources, { discordToken: 'e2e-insights-broken' }), library, logger: log.logger, insights: store });
    try {
      const server = { fake, store, bot };
      const answer = await ask(server, 'What did the engineers replace on the bridge?');
      expect(embedText(answer)).toContain('forty steel cables');
      expect(answer.components ?? []).toEqual([]);
      await ask(server, 'When is the festival?');
      const report = await insightsReport(server);
      expect(report).toMatchObject({ flags: MessageFlags.Ephemeral, content: expect.stringMatching(/^I have no insights to show: the insights database cannot be used \(.*broken\.sqlite is damaged/) });
      expect(log.lines.filter((l) => l.level === 40 && String(l.msg).startsWith('insights database'))).toHaveLength(1);
    } finally {
      await bot.stop();
      await fake.close();
    }
  });
});
