import { inspect } from 'node:util';
import { config as loadDotenvFile } from 'dotenv';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** Bot token. Missing: main starts a console chat instead of Discord. Never log or print it. */
  discordToken?: string;
  /** Register slash commands in this guild only (instant); else globally. */
  discordGuildId?: string;
  /** REST base URL (e.g. a proxy or a test server), passed to `new Client({ rest: { api } })`. */
  discordApiUrl?: string;
  sourcesDir: string;
  logLevel: LogLevel;
  moderatorRoleIds: string[];
  /** Per-user cooldown on /ask and mentions; 0 disables. */
  askCooldownSeconds: number;
  /** Questions a member may ask at once before ASK_COOLDOWN_SECONDS paces them (ASK_BURST); default 3 (DEFAULT_ASK_BURST). */
  askBurst?: number;
  /** Largest article file read, in bytes; undefined = the loader's default (2 MiB). */
  maxSourceBytes?: number;
  /** `/source add` may fetch from loopback and private addresses (tests, self-hosting); default false. */
  allowPrivateUrls?: boolean;
  /** Reload by itself when files in SOURCES_DIR change; default false. */
  sourcesWatch?: boolean;
  /** Where the bot keeps what it makes: each server's articles and settings (`guilds/<id>/`), the analysis cache (`cache/`); default `var`. */
  dataDir?: string;
  /** Keep each article's analysis in DATA_DIR/cache so a start or reload analyses only new and changed files; default true. */
  indexCache?: boolean;
  /** Memory budget for the servers' own indexes, in bytes (SERVER_INDEX_BUDGET_MB; default 256 MB). */
  serverIndexBudgetBytes?: number;
  /** Delete a server's folder this many days after the bot left it; undefined = keep it (a re-invite finds it). */
  forgetLeftGuildsDays?: number;
  /** Record questions, answers and votes in DATA_DIR/bot.sqlite for /insights; default true (loadConfig always sets it). */
  insights?: boolean;
  /** Recorded answers (with their votes) are deleted after this many days; default 90. */
  insightsRetentionDays?: number;
}

/** A setting is missing or malformed, or Discord rejected the token. The message is one or more plain lines, never a secret. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [message],
  ) {
    super(message);
    this.name = 'ConfigError';
    // Printed as-is: no stack trace for a configuration problem.
    this.stack = `${this.name}: ${message}`;
  }
}

/** What an entry point prints when it fails: a ConfigError's plain lines, or the stack of anything else for the log. */
export function fatalMessage(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export const DEFAULT_SOURCES_DIR = 'seeds';
export const DEFAULT_DATA_DIR = 'var';
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';
export const DEFAULT_ASK_COOLDOWN_SECONDS = 3;
export const DEFAULT_ASK_BURST = 3;
export const DEFAULT_SERVER_INDEX_BUDGET_MB = 256;
export const DEFAULT_INSIGHTS_RETENTION_DAYS = 90;
const MAX_INSIGHTS_RETENTION_DAYS = 3650;
const MAX_COOLDOWN_SECONDS = 3600;
const MAX_ASK_BURST = 100;

const SNOWFLAKE = /^\d{17,20}$/;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

type Env = Record<string, string | undefined>;

function setting(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Shows a user-supplied (non-secret) value in an error message, shortened. */
function shown(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/**
 * Reads and validates the settings from `env`. Pure: no file or process access.
 * Throws one ConfigError listing every problem found.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  let discordToken = setting(env, 'DISCORD_TOKEN');
  if (discordToken !== undefined) {
    discordToken = discordToken.replace(/^(Bot|Bearer)\s+/i, '');
    if (!TOKEN_SHAPE.test(discordToken)) {
      problems.push(
        'DISCORD_TOKEN does not look like a bot token (three dot-separated parts, no spaces or quotes). ' +
          'Copy it again from the Developer Portal (Bot > Reset Token).',
      );
    }
  }

  const discordGuildId = setting(env, 'DISCORD_GUILD_ID');
  if (discordGuildId !== undefined && !SNOWFLAKE.test(discordGuildId)) {
    problems.push(
      `DISCORD_GUILD_ID must be a server ID (a 17-20 digit number; enable Developer Mode, right-click the server, Copy Server ID), got ${shown(discordGuildId)}.`,
    );
  }

  let discordApiUrl = setting(env, 'DISCORD_API_URL');
  if (discordApiUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(discordApiUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      problems.push(`DISCORD_API_URL must be an http(s) URL such as https://discord.com/api, got ${shown(discordApiUrl)}.`);
    } else {
      discordApiUrl = discordApiUrl.replace(/\/+$/, '');
    }
  }

  const sourcesDir = setting(env, 'SOURCES_DIR') ?? DEFAULT_SOURCES_DIR;

  const levelRaw = setting(env, 'LOG_LEVEL')?.toLowerCase() ?? DEFAULT_LOG_LEVEL;
  const logLevel = (LOG_LEVELS as readonly string[]).includes(levelRaw) ? (levelRaw as LogLevel) : DEFAULT_LOG_LEVEL;
  if (logLevel !== levelRaw) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${shown(levelRaw)}.`);
  }

  const moderatorRoleIds: string[] = [];
  const rolesRaw = setting(env, 'MODERATOR_ROLE_IDS');
  if (rolesRaw !== undefined) {
    const bad: string[] = [];
    for (const part of rolesRaw.split(',')) {
      const id = part.trim();
      if (id === '') continue;
      if (!SNOWFLAKE.test(id)) bad.push(id);
      else if (!moderatorRoleIds.includes(id)) moderatorRoleIds.push(id);
    }
    if (bad.length > 0) {
      problems.push(
        `MODERATOR_ROLE_IDS must be a comma-separated list of role IDs (17-20 digit numbers); not role IDs: ${bad.map(shown).join(', ')}.`,
      );
    }
  }

  let askCooldownSeconds = DEFAULT_ASK_COOLDOWN_SECONDS;
  const cooldownRaw = setting(env, 'ASK_COOLDOWN_SECONDS');
  if (cooldownRaw !== undefined) {
    if (/^\d+$/.test(cooldownRaw) && Number(cooldownRaw) <= MAX_COOLDOWN_SECONDS) {
      askCooldownSeconds = Number(cooldownRaw);
    } else {
      problems.push(
        `ASK_COOLDOWN_SECONDS must be a whole number of seconds from 0 to ${MAX_COOLDOWN_SECONDS} (0 disables the cooldown), got ${shown(cooldownRaw)}.`,
      );
    }
  }

  let askBurst = DEFAULT_ASK_BURST;
  const burstRaw = setting(env, 'ASK_BURST');
  if (burstRaw !== undefined) {
    if (/^\d+$/.test(burstRaw) && Number(burstRaw) >= 1 && Number(burstRaw) <= MAX_ASK_BURST) askBurst = Number(burstRaw);
    else problems.push(`ASK_BURST must be a whole number of questions from 1 to ${MAX_ASK_BURST} (1 allows no burst), got ${shown(burstRaw)}.`);
  }

  let maxSourceBytes: number | undefined;
  const maxBytesRaw = setting(env, 'MAX_SOURCE_BYTES');
  if (maxBytesRaw !== undefined) {
    if (/^\d+$/.test(maxBytesRaw) && Number(maxBytesRaw) > 0 && Number.isSafeInteger(Number(maxBytesRaw))) {
      maxSourceBytes = Number(maxBytesRaw);
    } else {
      problems.push(`MAX_SOURCE_BYTES must be a whole number of bytes greater than 0 (e.g. 2097152 for 2 MiB), got ${shown(maxBytesRaw)}.`);
    }
  }

  let serverIndexBudgetBytes = DEFAULT_SERVER_INDEX_BUDGET_MB * 1024 * 1024;
  const budgetRaw = setting(env, 'SERVER_INDEX_BUDGET_MB');
  if (budgetRaw !== undefined) {
    if (/^\d+$/.test(budgetRaw) && Number(budgetRaw) <= 1_000_000) serverIndexBudgetBytes = Number(budgetRaw) * 1024 * 1024;
    else problems.push(`SERVER_INDEX_BUDGET_MB must be a whole number of megabytes (0 keeps only the server in use), got ${shown(budgetRaw)}.`);
  }

  let forgetLeftGuildsDays: number | undefined;
  const forgetRaw = setting(env, 'FORGET_LEFT_GUILDS_DAYS');
  if (forgetRaw !== undefined) {
    if (/^\d+$/.test(forgetRaw) && Number(forgetRaw) <= 36_500) forgetLeftGuildsDays = Number(forgetRaw);
    else problems.push(`FORGET_LEFT_GUILDS_DAYS must be a whole number of days (0 forgets at once); leave it unset to keep a server's articles after the bot leaves. Got ${shown(forgetRaw)}.`);
  }

  const allowPrivateUrls = booleanSetting(env, 'ALLOW_PRIVATE_URLS', problems);
  const sourcesWatch = booleanSetting(env, 'SOURCES_WATCH', problems);
  const dataDir = setting(env, 'DATA_DIR') ?? DEFAULT_DATA_DIR;
  const indexCache = setting(env, 'INDEX_CACHE') === undefined ? true : booleanSetting(env, 'INDEX_CACHE', problems);

  const insights = booleanSetting(env, 'INSIGHTS', problems, true);
  let insightsRetentionDays = DEFAULT_INSIGHTS_RETENTION_DAYS;
  const retentionRaw = setting(env, 'INSIGHTS_RETENTION_DAYS');
  if (retentionRaw !== undefined) {
    if (/^\d+$/.test(retentionRaw) && Number(retentionRaw) >= 1 && Number(retentionRaw) <= MAX_INSIGHTS_RETENTION_DAYS) {
      insightsRetentionDays = Number(retentionRaw);
    } else {
      problems.push(
        `INSIGHTS_RETENTION_DAYS must be a whole number of days from 1 to ${MAX_INSIGHTS_RETENTION_DAYS}, got ${shown(retentionRaw)}.`,
      );
    }
  }

  if (problems.length > 0) {
    const message =
      problems.length === 1 ? `Invalid configuration: ${problems[0]}` : `Invalid configuration:\n- ${problems.join('\n- ')}`;
    throw new ConfigError(message, problems);
  }

  const result: Config = { sourcesDir, logLevel, moderatorRoleIds, askCooldownSeconds, askBurst, allowPrivateUrls, sourcesWatch, dataDir, indexCache, serverIndexBudgetBytes, insights, insightsRetentionDays };
  if (forgetLeftGuildsDays !== undefined) result.forgetLeftGuildsDays = forgetLeftGuildsDays;
  if (discordToken !== undefined) result.discordToken = discordToken;
  if (discordGuildId !== undefined) result.discordGuildId = discordGuildId;
  if (discordApiUrl !== undefined) result.discordApiUrl = discordApiUrl;
  if (maxSourceBytes !== undefined) result.maxSourceBytes = maxSourceBytes;
  return protectToken(result);
}

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

/** An on/off setting, `fallback` (false) when unset; anything but true/false/1/0/yes/no/on/off is a problem. */
function booleanSetting(env: Env, name: string, problems: string[], fallback = false): boolean {
  const value = setting(env, name);
  const word = value?.toLowerCase();
  if (value === undefined || word === undefined) return fallback;
  if (FALSE_WORDS.includes(word)) return false;
  if (TRUE_WORDS.includes(word)) return true;
  problems.push(`${name} must be true or false, got ${shown(value)}.`);
  return fallback;
}

/** The config without its secret: safe to log or print. */
export function redactConfig(config: Config): Omit<Config, 'discordToken'> & { discordToken?: '[redacted]' } {
  const { discordToken, ...rest } = config;
  return discordToken === undefined ? rest : { ...rest, discordToken: '[redacted]' };
}

/** JSON.stringify, util.inspect and console.log of the config show `[redacted]` instead of the token. */
function protectToken(config: Config): Config {
  Object.defineProperty(config, 'toJSON', { value: () => redactConfig(config), enumerable: false });
  Object.defineProperty(config, inspect.custom, {
    value: (_depth: number, options: object) => inspect(redactConfig(config), options),
    enumerable: false,
  });
  return config;
}

/** Loads `.env` (if any) into process.env without overriding it. */
export function loadDotenv(path?: string): void {
  loadDotenvFile(path === undefined ? { quiet: true } : { quiet: true, path });
}

/** `.env` + process.env, validated. */
export function readConfig(): Config {
  loadDotenv();
  return loadConfig(process.env);
}
