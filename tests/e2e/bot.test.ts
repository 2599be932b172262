/**
 * End to end: the real startDiscordBot (real discord.js Client over HTTP + WebSocket) against the
 * FakeDiscord loopback server, serving a real ArticleLibrary over a temp folder of article files.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { ActivityType, GatewayIntentBits, InteractionResponseType, MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config';
import { startDiscordBot, type RunningBot } from '../../src/discord/bot';
import { REFUSAL } from '../../src/discord/commands/reload';
import { TOKEN_REJECTED } from '../../src/discord/errors';
import { ZWSP } from '../../src/discord/render';
import { deployCommands } from '../../src/discord/register';
import { ArticleLibrary } from '../../src/sources/library';
import type { Library, ReloadReport } from '../../src/sources/library-types';
import { memoryLogger } from '../discord/fakes';
import { articleFile, botConfig, HARBOUR_ARTICLE, HARBOUR_TITLE, MANAGER_ROLE, MODERATOR, RATES, RATES_TITLE, sourcesFolder } from './support/bot-setup';
import { FakeDiscord, type InteractionHandle, type RecordedRequest } from './support/fake-discord';
import { REPO_ROOT, SHAPED_TOKEN } from './support/processes';

const TOKEN = 'e2e-bot-token';
const KIM_TITLE = 'Kim Jong-un writes "very warm" letter to Trump';
const KIM_URL = 'https://example.com/news/kim-letter';
const SEED = readFileSync(new URL('../../seeds/000_a08a99f93af952b7.txt', import.meta.url), 'utf8');

let fake: FakeDiscord;
let bot: RunningBot;
let dir: string;
let library: ArticleLibrary;
let log: ReturnType<typeof memoryLogger>;

function callbackRequest(handle: InteractionHandle): RecordedRequest | undefined {
  return fake.requests.find(
    (r) => r.route === 'POST /interactions/:interactionId/:token/callback' && r.path.includes(`/${handle.id}/`) && r.status < 300,
  );
}

function ask(question: string, extra: Record<string, string | number> = {}) {
  return fake.sendInteraction({ type: 'command', name: 'ask', options: { question, ...extra } });
}

beforeAll(async () => {
  dir = sourcesFolder('qa-bot-e2e-', {
    'kim.txt': `---\ntitle: ${KIM_TITLE}\nurl: ${KIM_URL}\n---\n${SEED}`,
    'rates.txt': articleFile(RATES_TITLE, RATES.held, RATES.everyone, RATES.markets, RATES.cut),
  });
  ({ library } = await ArticleLibrary.open({ sourcesPath: dir }));
  fake = await FakeDiscord.start({ token: TOKEN, roles: [MANAGER_ROLE] });
  log = memoryLogger([TOKEN]);
  bot = await startDiscordBot({ config: botConfig(fake, dir, { discordToken: TOKEN }), library, logger: log.logger });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the bot against FakeDiscord', () => {
  it('logs in with Guilds + GuildMessages, registers every command in one bulk PUT, sets its presence', async () => {
    expect(fake.gateway.identifies[0]?.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages);
    const puts = fake.requests.filter((r) => r.method === 'PUT' && r.path.includes('/commands'));
    expect(puts).toHaveLength(1);
    expect(puts[0]?.path).toBe(`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
    expect(fake.commands('guild').map((c) => c.name)).toEqual(['ask', 'summary', 'sources', 'reload', 'source', 'settings', 'insights', 'help']);
    expect(fake.commands('global')).toEqual([]);
    const presence = await fake.waitForPresence((p) => p.activities[0]?.name === '2 articles · /ask');
    expect(presence.activities[0]?.type).toBe(ActivityType.Watching);
    expect(log.raw.join('')).not.toContain(TOKEN);
    fake.assertNoSurprises();
  });

  it('/ask answers with the best sentence and its attribution', async () => {
    const handle = await ask('What did Sanders say about the letter?');
    const callback = await handle.callback();
    expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(callback.data.flags ?? 0).toBe(0);
    const embed = callback.data.embeds?.[0];
    expect(embed?.title).toBe('Q: What did Sanders say about the letter?');
    expect(embed?.description).toContain('Sanders called the letter');
    expect(embed?.description).toMatch(new RegExp(`— \\[${KIM_TITLE}\\]\\(${KIM_URL}\\) · sentence \\d+ of \\d+`));
    expect(callbackRequest(handle)?.body).toMatchObject({ data: { allowed_mentions: { parse: [], replied_user: false } } });
  });

  it('/ask declines a question the articles do not answer, pointing to /sources', async () => {
    const handle = await ask('Who won the 1998 football World Cup final?');
    const embed = (await handle.callback()).data.embeds?.[0];
    expect(embed?.title).toBe('Not answered by the loaded articles');
    expect(embed?.description).toContain('The loaded articles do not answer “Who won the 1998 football World Cup final?”');
    expect(embed?.description).toContain('/sources');
  });

  it('/ask with an unknown source answers ephemerally, naming it', async () => {
    const handle = await ask('What rate?', { source: 'nothing-here.txt' });
    const callback = await handle.callback();
    expect(callback.data.flags).toBe(MessageFlags.Ephemeral);
    expect(callback.data.content).toContain('No source named `nothing-here.txt` is loaded.');
  });

  it('an @everyone in an article does not ping: allowed_mentions parse [] and the text neutralised', async () => {
    const handle = await ask('What did the governor say about inflation at the press conference?');
    const callback = await handle.callback();
    const description = callback.data.embeds?.[0]?.description ?? '';
    expect(description).toContain(`Governor Maria Lopez told @${ZWSP}everyone at the press conference`);
    expect(description).not.toContain('@everyone');
    expect(callbackRequest(handle)?.body).toMatchObject({ data: { allowed_mentions: { parse: [] } } });
  });

  it('autocomplete on source: offers matching articles, title as name and id as value', async () => {
    const handle = await fake.sendInteraction({ type: 'autocomplete', name: 'ask', focused: 'source', options: { question: 'x', source: 'kim' } });
    expect(await handle.choices()).toEqual([{ name: KIM_TITLE, value: 'kim.txt' }]);
  });

  it('/summary gives one embed per article with attribution', async () => {
    const handle = await fake.sendInteraction({ type: 'command', name: 'summary', options: { sentences: 2 } });
    const embeds = (await handle.callback()).data.embeds ?? [];
    expect(embeds.map((e) => e.title)).toEqual([KIM_TITLE, RATES_TITLE]);
    expect(embeds[0]?.url).toBe(KIM_URL);
    expect(embeds[1]?.footer?.text).toMatch(/^rates\.txt · 2 of 4 sentences$/);
  });

  it('/sources lists title, id, sentence count and load time', async () => {
    const handle = await fake.sendInteraction({ type: 'command', name: 'sources' });
    const embed = (await handle.callback()).data.embeds?.[0];
    expect(embed?.title).toBe('Loaded articles (2)');
    expect(embed?.description).toContain(`**[${KIM_TITLE}](${KIM_URL})**`);
    expect(embed?.description).toMatch(/`rates\.txt` · 4 sentences · loaded <t:\d+:R>/);
  });

  it('a mention is answered as a reply to that message, pinging nobody', async () => {
    const message = await fake.sendMessage({ content: 'what interest rate did the central bank keep?', mentionsBot: true });
    const reply = await message.reply();
    expect(reply.message_reference?.message_id).toBe(message.id);
    expect(reply.embeds[0]?.description).toContain('The central bank kept its benchmark interest rate at 5.25 percent');
    expect(reply.embeds[0]?.description).toContain(`— ${RATES_TITLE} · sentence 1 of 4`);
    const post = fake.requests.find((r) => r.route === 'POST /channels/:channelId/messages' && r.status === 200);
    expect(post?.body).toMatchObject({ allowed_mentions: { parse: [], replied_user: false } });
  });

  it('messages that do not mention the bot, and @everyone, are ignored', async () => {
    const before = fake.channelMessages().length;
    await fake.sendMessage({ content: '@everyone what interest rate?' });
    await fake.sendMessage({ content: 'just chatting' });
    // A later mention is answered, so the two above were seen and ignored, not still pending.
    const later = await fake.sendMessage({ content: 'what did Sanders say about the letter?', mentionsBot: true });
    await later.reply();
    expect(fake.channelMessages().length).toBe(before + 1);
  });

  it('/reload is refused for a member without Manage Server', async () => {
    const handle = await fake.sendInteraction({ type: 'command', name: 'reload' });
    const callback = await handle.callback();
    expect(callback.data).toMatchObject({ content: REFUSAL, flags: MessageFlags.Ephemeral });
  });

  it('/reload by a moderator picks up a new file and updates the presence', async () => {
    writeFileSync(join(dir, 'harbour.txt'), HARBOUR_ARTICLE);
    writeFileSync(join(dir, 'notes.pdf'), '%PDF-1.4 not an article');
    const handle = await fake.sendInteraction({ type: 'command', name: 'reload', member: MODERATOR });
    const callback = await handle.callback();
    expect(callback.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(callback.data.flags).toBe(MessageFlags.Ephemeral);
    const original = await handle.original();
    const description = original.embeds[0]?.description ?? '';
    expect(original.embeds[0]?.title).toBe('Reloaded the articles');
    expect(description).toContain('Articles: 2 → 3');
    expect(description).toMatch(/Sentences: \d+ → \d+/);
    expect(description).toContain('`notes.pdf` — ');
    await fake.waitForPresence((p) => p.activities[0]?.name === '3 articles · /ask');

    const answer = await ask('How long did the bridge repairs take?');
    expect((await answer.callback()).data.embeds?.[0]?.description).toContain(HARBOUR_TITLE);
  });

  it('a failed reload (folder removed) keeps the old index serving and says what failed', async () => {
    rmSync(dir, { recursive: true, force: true });
    const handle = await fake.sendInteraction({ type: 'command', name: 'reload', member: MODERATOR });
    const original = await handle.original();
    const embed = original.embeds[0];
    expect(embed?.title).toBe('Reload failed — nothing changed');
    expect(embed?.description).toContain('The previous index is still serving: 3 articles');
    expect(embed?.description).toMatch(/What failed: .*cannot read sources/);

    const answer = await ask('What interest rate did the central bank keep?');
    expect((await answer.callback()).data.embeds?.[0]?.description).toContain('5.25 percent');
  });

  it('survives a 500 from the REST side (retried), and a persistent one (logged, next command fine)', async () => {
    const callbackPath = { method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/ };
    fake.failNext(callbackPath, { status: 500 });
    const retried = await fake.sendInteraction({ type: 'command', name: 'sources' });
    expect((await retried.callback()).data.embeds?.[0]?.title).toBe('Loaded articles (3)');

    // The reply and the error reply each get the first attempt plus 3 retries.
    const fault = fake.failNext(callbackPath, { status: 500, times: 8 });
    const failed = await fake.sendInteraction({ type: 'command', name: 'sources' });
    await expect.poll(() => log.lines.some((l) => l.msg === 'could not send the error reply'), { timeout: 10_000 }).toBe(true);
    expect(fault.hits).toBe(8);
    expect(log.lines.find((l) => l.msg === 'command failed')).toMatchObject({ interactionId: failed.id, command: 'sources' });

    const after = await fake.sendInteraction({ type: 'command', name: 'help' });
    expect((await after.callback()).data.embeds?.[0]?.title).toBe('Article Q&A bot');
  });

  it('never sent the token anywhere but the Authorization header, nor logged it', () => {
    expect(log.raw.join('')).not.toContain(TOKEN);
    for (const r of fake.requests) expect(JSON.stringify(r.body ?? null)).not.toContain(TOKEN);
  });

  it('stop() disconnects from the gateway', async () => {
    await bot.stop();
    await expect.poll(() => fake.gateway.isConnected).toBe(false);
    expect(bot.client.isReady()).toBe(false);
  });
});

describe('a rejected token', () => {
  it('gives the one-line ConfigError', async () => {
    const strict = await FakeDiscord.start({ token: 'the-right-token' });
    try {
      const error = await startDiscordBot({
        config: botConfig(strict, '.', { discordToken: 'a-wrong-token', logLevel: 'silent' }),
        library,
        logger: memoryLogger().logger,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe(TOKEN_REJECTED);
      expect((error as ConfigError).message).not.toContain('a-wrong-token');
    } finally {
      await strict.close();
    }
  });
});

describe('stop()', () => {
  it('waits for an in-flight handler to finish before destroying the client', async () => {
    const server = await FakeDiscord.start({ roles: [MANAGER_ROLE] });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reloadStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (reloadStarted = resolve));
    // The real library, with a reload that waits until the test lets it finish.
    const slow: Library = Object.assign(Object.create(library) as Library, {
      reload: async (): Promise<ReloadReport> => {
        reloadStarted();
        await gate;
        return { ok: true, before: library.counts(), after: library.counts(), skipped: [], durationMs: 1 };
      },
    });
    const running = await startDiscordBot({
      config: botConfig(server, '.', { discordToken: TOKEN, logLevel: 'silent' }),
      library: slow,
      logger: memoryLogger().logger,
    });
    try {
      const handle = await server.sendInteraction({ type: 'command', name: 'reload', member: MODERATOR });
      await handle.callback();
      await started;
      let stopped = false;
      const stopping = running.stop().then(() => (stopped = true));
      // New work is no longer taken while stopping.
      const late = await server.sendInteraction({ type: 'command', name: 'help' });
      expect(stopped).toBe(false);
      release();
      await stopping;
      // The in-flight /reload finished its reply before the client went away; the late one was never answered.
      expect((await handle.original()).embeds[0]?.title).toBe('Reloaded the articles');
      await expect(late.callback(200)).rejects.toThrow();
      expect(running.client.isReady()).toBe(false);
    } finally {
      release();
      await running.stop();
      await server.close();
    }
  });
});

describe('deploy-commands', () => {
  it('deployCommands looks up the application and registers globally with one PUT', async () => {
    const server = await FakeDiscord.start();
    try {
      const result = await deployCommands({ discordToken: TOKEN, discordApiUrl: server.restBase, sourcesDir: '.', logLevel: 'silent', moderatorRoleIds: [], askCooldownSeconds: 0 });
      expect(result).toEqual({ count: 8, applicationId: server.applicationId });
      expect(server.requests.filter((r) => r.method === 'PUT').map((r) => r.path)).toEqual([`/applications/${server.applicationId}/commands`]);
      expect(server.commands('global').map((c) => c.name)).toEqual(['ask', 'summary', 'sources', 'reload', 'source', 'settings', 'insights', 'help']);
    } finally {
      await server.close();
    }
  });

  it('scripts/deploy-commands.ts registers in the guild and exits', async () => {
    const server = await FakeDiscord.start();
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/deploy-commands.ts'], {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH,
          DISCORD_TOKEN: SHAPED_TOKEN,
          DISCORD_API_URL: server.restBase,
          DISCORD_GUILD_ID: server.guildId,
          LOG_LEVEL: 'silent',
        },
      });
      expect(stdout).toContain(`Registered 8 commands for application ${server.applicationId} in guild ${server.guildId}.`);
      expect(server.commands('guild')).toHaveLength(8);
    } finally {
      await server.close();
    }
  });
});
