import { execFile } from 'node:child_process';
import { inspect, promisify } from 'node:util';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig } from '../src/config';
import { createLogger } from '../src/logger';

const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB';

function problemOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    expect(loadConfig({})).toEqual({
      sourcesDir: 'seeds',
      logLevel: 'info',
      moderatorRoleIds: [],
      askCooldownSeconds: 3,
      askBurst: 3,
      allowPrivateUrls: false,
      sourcesWatch: false,
      dataDir: 'var',
      indexCache: true,
      serverIndexBudgetBytes: 256 * 1024 * 1024,
      insights: true,
      insightsRetentionDays: 90,
    });
  });

  it('reads the insights settings and rejects a bad retention', () => {
    const config = loadConfig({ DATA_DIR: '/srv/bot', INSIGHTS: 'false', INSIGHTS_RETENTION_DAYS: '30' });
    expect([config.dataDir, config.insights, config.insightsRetentionDays]).toEqual(['/srv/bot', false, 30]);
    expect(loadConfig({ INSIGHTS: 'on' }).insights).toBe(true);
    for (const bad of ['0', '-5', '1.5', 'forever', '3651']) {
      expect(() => loadConfig({ INSIGHTS_RETENTION_DAYS: bad })).toThrow(/INSIGHTS_RETENTION_DAYS must be a whole number of days from 1 to 3650/);
    }
    expect(() => loadConfig({ INSIGHTS: 'maybe' })).toThrow(/INSIGHTS must be true or false/);
  });

  it('reads every setting', () => {
    const config = loadConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_GUILD_ID: '123456789012345678',
      DISCORD_API_URL: 'http://127.0.0.1:4000/api/',
      SOURCES_DIR: 'articles',
      LOG_LEVEL: 'DEBUG',
      MODERATOR_ROLE_IDS: ' 111111111111111111, 222222222222222222 ,,111111111111111111',
      ASK_COOLDOWN_SECONDS: '0',
      ASK_BURST: '5',
      MAX_SOURCE_BYTES: '1048576',
      ALLOW_PRIVATE_URLS: 'true',
      SOURCES_WATCH: 'yes',
      DATA_DIR: '/srv/bot',
      INDEX_CACHE: 'off',
      SERVER_INDEX_BUDGET_MB: '64',
      FORGET_LEFT_GUILDS_DAYS: '30',
    });
    expect(config).toEqual({
      discordToken: TOKEN,
      discordGuildId: '123456789012345678',
      discordApiUrl: 'http://127.0.0.1:4000/api',
      sourcesDir: 'articles',
      logLevel: 'debug',
      moderatorRoleIds: ['111111111111111111', '222222222222222222'],
      askCooldownSeconds: 0,
      askBurst: 5,
      maxSourceBytes: 1048576,
      allowPrivateUrls: true,
      sourcesWatch: true,
      dataDir: '/srv/bot',
      indexCache: false,
      serverIndexBudgetBytes: 64 * 1024 * 1024,
      forgetLeftGuildsDays: 30,
      insights: true,
      insightsRetentionDays: 90,
    });
  });

  it('reads on/off settings in any case, and false when empty', () => {
    for (const on of ['true', 'TRUE', '1', 'yes', 'On']) expect(loadConfig({ SOURCES_WATCH: on }).sourcesWatch).toBe(true);
    for (const off of ['false', 'False', '0', 'no', 'off', ' ']) expect(loadConfig({ ALLOW_PRIVATE_URLS: off }).allowPrivateUrls).toBe(false);
  });

  it('treats empty values as unset and strips a "Bot " prefix', () => {
    expect(loadConfig({ DISCORD_TOKEN: '  ', DISCORD_GUILD_ID: '' }).discordToken).toBeUndefined();
    expect(loadConfig({ DISCORD_TOKEN: `Bot ${TOKEN}` }).discordToken).toBe(TOKEN);
  });

  it('gives a specific message for each bad value', () => {
    expect(problemOf({ DISCORD_GUILD_ID: 'my-server' })).toContain('DISCORD_GUILD_ID must be a server ID');
    expect(problemOf({ DISCORD_GUILD_ID: 'my-server' })).toContain('"my-server"');
    expect(problemOf({ DISCORD_API_URL: 'discord.com/api' })).toContain('DISCORD_API_URL must be an http(s) URL');
    expect(problemOf({ DISCORD_API_URL: 'ftp://x' })).toContain('DISCORD_API_URL must be an http(s) URL');
    expect(problemOf({ LOG_LEVEL: 'verbose' })).toBe(
      'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose".',
    );
    expect(problemOf({ MODERATOR_ROLE_IDS: '111111111111111111,mods' })).toContain('not role IDs: "mods"');
    expect(problemOf({ ASK_COOLDOWN_SECONDS: '-1' })).toContain('ASK_COOLDOWN_SECONDS must be a whole number');
    expect(problemOf({ ASK_COOLDOWN_SECONDS: '2.5' })).toContain('got "2.5"');
    expect(problemOf({ ASK_BURST: '0' })).toBe('Invalid configuration: ASK_BURST must be a whole number of questions from 1 to 100 (1 allows no burst), got "0".');
    expect(problemOf({ ASK_BURST: 'lots' })).toContain('ASK_BURST must be a whole number');
    expect(problemOf({ ASK_BURST: '101' })).toContain('got "101"');
    expect(problemOf({ MAX_SOURCE_BYTES: '0' })).toContain('MAX_SOURCE_BYTES must be a whole number of bytes');
    expect(problemOf({ ALLOW_PRIVATE_URLS: 'Maybe' })).toBe('Invalid configuration: ALLOW_PRIVATE_URLS must be true or false, got "Maybe".');
    expect(problemOf({ SOURCES_WATCH: 'enabled' })).toContain('SOURCES_WATCH must be true or false, got "enabled".');
    expect(problemOf({ SERVER_INDEX_BUDGET_MB: '1.5' })).toContain('SERVER_INDEX_BUDGET_MB must be a whole number of megabytes');
    expect(problemOf({ FORGET_LEFT_GUILDS_DAYS: 'never' })).toContain('FORGET_LEFT_GUILDS_DAYS must be a whole number of days');
  });

  it('lists every problem at once', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ LOG_LEVEL: 'loud', ASK_COOLDOWN_SECONDS: 'soon' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error?.problems).toHaveLength(2);
    expect(error?.message.split('\n')).toHaveLength(3);
  });

  it('rejects a malformed token without echoing it', () => {
    const secret = 'not a token but secret-ish';
    const message = problemOf({ DISCORD_TOKEN: secret });
    expect(message).toContain('DISCORD_TOKEN does not look like a bot token');
    expect(message).not.toContain(secret);
  });

  it('ConfigError has no stack trace beyond its message', () => {
    const err = new ConfigError('bad thing');
    expect(err.stack).toBe('ConfigError: bad thing');
  });
});

describe('token redaction', () => {
  const config = loadConfig({ DISCORD_TOKEN: TOKEN });

  it('JSON and inspect never show the token', () => {
    expect(JSON.stringify(config)).not.toContain(TOKEN);
    expect(JSON.stringify(config)).toContain('[redacted]');
    expect(inspect(config)).not.toContain(TOKEN);
    expect(redactConfig(config).discordToken).toBe('[redacted]');
    expect(config.discordToken).toBe(TOKEN);
  });

  it('the logger redacts the token field and the token value anywhere', () => {
    const out: string[] = [];
    const destination = new Writable({
      write(chunk, _e, cb) {
        out.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger('info', { destination, secrets: [config.discordToken] });
    logger.info({ config }, 'config');
    logger.info({ token: TOKEN, discordToken: TOKEN, headers: { authorization: `Bot ${TOKEN}` } }, 'fields');
    logger.error({ err: new Error(`failed with ${TOKEN}`) }, `message with ${TOKEN}`);
    const text = out.join('');
    expect(out).toHaveLength(3);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('[redacted]');
  });

  it('the logger respects its level', () => {
    const out: string[] = [];
    const destination = new Writable({
      write(chunk, _e, cb) {
        out.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger('warn', { destination });
    logger.info('hidden');
    logger.warn('shown');
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0]!)).toMatchObject({ level: 40, msg: 'shown' });
  });
});

describe('createLogger default destination', () => {
  it('writes JSON lines to stderr, nothing to stdout', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "import { createLogger } from './src/logger.ts'; createLogger('info').info('to stderr');"],
      { cwd: new URL('..', import.meta.url).pathname },
    );
    expect(stdout).toBe('');
    expect(JSON.parse(stderr.trim())).toMatchObject({ level: 30, msg: 'to stderr' });
  });
});
