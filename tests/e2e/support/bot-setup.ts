/**
 * What the end-to-end tests set up the same way: the bot's settings against a FakeDiscord (as a Config for
 * startDiscordBot, or as the environment of src/main.ts and src/shard-manager.ts), the moderator role, and
 * the article files the bot serves.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import type { Config } from '../../../src/config';
import type { FakeDiscord, RoleSpec } from './fake-discord';
import { SHAPED_TOKEN } from './processes';

/** A guild role with Manage Server: its members are moderators. */
export const MANAGER_ROLE: RoleSpec = { name: 'Manager', permissions: PermissionFlagsBits.ManageGuild };
/** A member with MANAGER_ROLE. */
export const MODERATOR = { username: 'moderator', roles: [MANAGER_ROLE.name] };

/**
 * The Config of a bot started in-process against `fake`: commands registered in its guild, no cooldown,
 * debug logs. A fake started with a `token` needs that token in `overrides`.
 */
export function botConfig(fake: FakeDiscord, sourcesDir: string, overrides: Partial<Config> = {}): Config {
  return {
    discordToken: 'e2e-bot-token',
    discordGuildId: fake.guildId,
    discordApiUrl: fake.restBase,
    sourcesDir,
    logLevel: 'debug',
    moderatorRoleIds: [],
    askCooldownSeconds: 0,
    ...overrides,
  };
}

/** The same settings as the environment of a bot started as a process (src/main.ts, src/shard-manager.ts). */
export function botEnv(fake: FakeDiscord, sourcesDir: string): Record<string, string> {
  return {
    DISCORD_TOKEN: SHAPED_TOKEN,
    DISCORD_API_URL: fake.restBase,
    DISCORD_GUILD_ID: fake.guildId,
    SOURCES_DIR: sourcesDir,
    LOG_LEVEL: 'info',
    ASK_COOLDOWN_SECONDS: '0',
    // A bot process would otherwise create var/bot.sqlite in the repository (tests/e2e/insights.test.ts covers insights).
    INSIGHTS: 'false',
  };
}

/** An article file: `title` in front matter, then one paragraph per entry. */
export function articleFile(title: string, ...paragraphs: string[]): string {
  return `---\ntitle: ${title}\n---\n${paragraphs.join('\n\n')}\n`;
}

export const RATES_TITLE = 'Central bank holds interest rates';
/** The paragraphs of the rates article; each test takes the ones it asks about. */
export const RATES = {
  held: 'The central bank kept its benchmark interest rate at 5.25 percent on Thursday.',
  everyone: 'Governor Maria Lopez told @everyone at the press conference that inflation was cooling faster than expected.',
  markets: 'Markets rallied after the announcement, with the main index rising two percent.',
  cut: 'Economists expect the first rate cut in the spring.',
};

export const HARBOUR_TITLE = 'Harbour bridge reopens after repairs';
export const HARBOUR_ARTICLE = articleFile(
  HARBOUR_TITLE,
  'The harbour bridge reopened to traffic on Saturday after eight months of repairs.',
  'Engineers replaced forty steel cables and repainted the main span.',
);

/** A new temp folder (named `prefix…`) holding `files` (name → content). */
export function sourcesFolder(prefix: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
