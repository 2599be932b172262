/**
 * Abuse and load, end to end: the per-user cooldown on /ask and mentions, a flood of interactions from many
 * users (each answered or politely refused, exactly once), and least privilege (intents, invite permissions).
 * The memory side of the flood is measured by `npx tsx bench/flood.ts` (bot in its own process).
 */
import { existsSync, readFileSync } from 'node:fs';
import { GatewayIntentBits, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_INTENTS, BOT_PERMISSIONS, inviteUrl } from '../../src/discord/access';
import { startDiscordBot, type RunningBot } from '../../src/discord/bot';
import { ArticleLibrary } from '../../src/sources/library';
import { memoryLogger } from '../discord/fakes';
import { botConfig, MANAGER_ROLE } from './support/bot-setup';
import { runFlood } from './support/flood';
import { FakeDiscord } from './support/fake-discord';
import { snowflake } from './support/ids';
import { REPO_ROOT } from './support/processes';

const COOLDOWN_SECONDS = 30;
const SEED_DIR = new URL('../../seeds', import.meta.url).pathname;
const QUESTION = 'What did Sanders say about the letter?';
const REFUSAL = /^You're asking quickly — try again in (\d+) s\.$/;

let fake: FakeDiscord;
let bot: RunningBot;
let log: ReturnType<typeof memoryLogger>;

beforeAll(async () => {
  const { library } = await ArticleLibrary.open({ sourcesPath: SEED_DIR });
  fake = await FakeDiscord.start({
    roles: [MANAGER_ROLE, { name: 'Helpers', permissions: 0n }],
  });
  log = memoryLogger();
  const config = botConfig(fake, SEED_DIR, {
    discordToken: 'abuse-bot-token',
    logLevel: 'info',
    moderatorRoleIds: [fake.roleId('Helpers')],
    askCooldownSeconds: COOLDOWN_SECONDS,
  });
  bot = await startDiscordBot({ config, library, logger: log.logger });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

/** A member with a fixed id, so that asking again is the same person. */
function member(username: string, roles: string[] = []) {
  return { id: snowflake(), username, roles };
}

function askAs(who: ReturnType<typeof member>) {
  return fake.sendInteraction({ type: 'command', name: 'ask', options: { question: QUESTION }, member: who });
}

describe('the per-user cooldown (ASK_COOLDOWN_SECONDS, ASK_BURST)', () => {
  it('answers a quick burst of 3, then refuses ephemerally with the wait, for /ask and mentions alike', async () => {
    const eager = member('eager');
    // ASK_BURST defaults to 3: two quick follow-ups are answered.
    for (let i = 0; i < 3; i++) expect((await (await askAs(eager)).callback()).data.embeds?.[0]?.description).toContain('Sanders');

    const refused = await (await askAs(eager)).callback();
    expect(refused.data.flags).toBe(MessageFlags.Ephemeral);
    const wait = Number(REFUSAL.exec(refused.data.content ?? '')?.[1]);
    expect(wait).toBeGreaterThanOrEqual(COOLDOWN_SECONDS - 1);
    expect(wait).toBeLessThanOrEqual(COOLDOWN_SECONDS);

    // The same user through a mention shares the cooldown.
    const mention = await fake.sendMessage({ content: QUESTION, mentionsBot: true, authorId: eager.id });
    expect((await mention.reply()).content).toMatch(REFUSAL);

    // Someone else is not affected.
    expect((await (await askAs(member('patient'))).callback()).data.embeds?.[0]?.description).toContain('Sanders');
  });

  it('exempts moderators: Manage Server, or a role in MODERATOR_ROLE_IDS', async () => {
    for (const moderator of [member('manager', ['Manager']), member('helper', ['Helpers'])]) {
      for (let i = 0; i < 4; i++) {
        const callback = await (await askAs(moderator)).callback();
        expect(callback.data.content ?? '').not.toMatch(REFUSAL);
        expect(callback.data.embeds?.[0]?.description).toContain('Sanders');
      }
    }
  });
});

describe('a flood of interactions', () => {
  // 40 users × 5 here; `npx tsx bench/flood.ts` runs 200 × 5 twice with the bot in its own process and reports its heap.
  it('answers or politely refuses every one of 40 users × 5 quick asks, exactly once, none dropped', async () => {
    const result = await runFlood(fake, { users: 40, asksPerUser: 5, label: 'e2e' });
    process.stdout.write(`flood (e2e): ${JSON.stringify(result.figures)}\n`);
    expect(result.figures.interactions).toBe(200);
    expect(result.figures.callbacksPerInteraction).toEqual({ 1: 200 });
    // Each user's first three asks (ASK_BURST) are answered, the two quick ones after them are refused by the cooldown.
    expect(result.figures.answered).toBe(120);
    expect(result.figures.refusedByCooldown).toBe(80);
    expect(result.figures.dropped).toBe(0);
    expect(result.figures.other).toBe(0);
    expect(result.figures.failedRequests).toBe(0);
    expect(log.lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
  });
});

describe('least privilege', () => {
  it('identifies with exactly Guilds | GuildMessages: no MessageContent or other privileged intent', () => {
    expect(BOT_INTENTS).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages);
    expect(fake.gateway.identifies.length).toBeGreaterThan(0);
    for (const identify of fake.gateway.identifies) expect(identify.intents).toBe(BOT_INTENTS);
  });

  it('asks for Send Messages, Embed Links and Read Message History only — never Administrator', () => {
    expect(BOT_PERMISSIONS).toBe(PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.ReadMessageHistory);
    expect(BOT_PERMISSIONS & PermissionFlagsBits.Administrator).toBe(0n);
    const invite = new URL(inviteUrl(fake.applicationId));
    expect(invite.searchParams.get('permissions')).toBe(BOT_PERMISSIONS.toString());
    expect(invite.searchParams.get('scope')).toBe('bot applications.commands');
    // The bot logs that same link when it is ready.
    expect(log.lines.find((l) => l.msg === 'Discord bot ready')?.invite).toBe(invite.toString());
  });

  it.skipIf(!existsSync(`${REPO_ROOT}/README.md`))('the README invite links ask for the same permissions', () => {
    const readme = readFileSync(`${REPO_ROOT}/README.md`, 'utf8');
    const permissions = [...readme.matchAll(/oauth2\/authorize\?[^\s)]*permissions=(\d+)/g)].map((m) => BigInt(m[1] ?? '0'));
    for (const bits of permissions) {
      expect(bits & PermissionFlagsBits.Administrator).toBe(0n);
      expect(bits).toBe(BOT_PERMISSIONS);
    }
  });

  it('commands need no permission by default, except the moderator ones (Manage Server only)', () => {
    const defaults = Object.fromEntries(fake.commands('guild').map((c) => [c.name, c.default_member_permissions]));
    expect(defaults).toMatchObject({ ask: null, summary: null, sources: null, reload: PermissionFlagsBits.ManageGuild.toString(), help: null });
    for (const bits of Object.values(defaults)) expect([null, PermissionFlagsBits.ManageGuild.toString()]).toContain(bits);
  });
});
