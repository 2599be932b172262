import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayIntentBits, type REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, fatalMessage } from '../../src/config';
import { startDiscordBot } from '../../src/discord/bot';
import { createDiscordClient } from '../../src/discord/client';
import { asDiscordAuthError, asDiscordUnreachableError, TOKEN_REJECTED } from '../../src/discord/errors';
import { registerCommands } from '../../src/discord/register';
import { FakeLibrary, memoryLogger, testConfig } from './fakes';

const TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB';

function fakeRest(fail?: unknown) {
  const puts: { route: string; body: unknown }[] = [];
  const rest = {
    put: async (route: string, options: { body: unknown }) => {
      if (fail) throw fail;
      puts.push({ route, body: options.body });
      return options.body;
    },
  };
  return { rest: rest as unknown as REST, puts };
}

describe('createDiscordClient', () => {
  it('uses Guilds + GuildMessages only and disables every mention', async () => {
    const client = createDiscordClient({});
    expect(client.options.intents.bitfield).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages);
    expect(client.options.allowedMentions).toEqual({ parse: [], repliedUser: false });
    await client.destroy();
  });

  it('passes DISCORD_API_URL to the REST client', async () => {
    const client = createDiscordClient({ discordApiUrl: 'http://127.0.0.1:9/api' });
    expect(client.rest.options.api).toBe('http://127.0.0.1:9/api');
    await client.destroy();
  });
});

describe('registerCommands', () => {
  it('does one bulk overwrite in the guild when a guild id is set', async () => {
    const { rest, puts } = fakeRest();
    const count = await registerCommands({ rest, applicationId: '111111111111111111', guildId: '222222222222222222' });
    expect(count).toBe(8);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.route).toBe('/applications/111111111111111111/guilds/222222222222222222/commands');
    expect((puts[0]?.body as { name: string }[]).map((c) => c.name)).toEqual(['ask', 'summary', 'sources', 'reload', 'source', 'settings', 'insights', 'help']);
  });

  it('registers globally otherwise', async () => {
    const { rest, puts } = fakeRest();
    await registerCommands({ rest, applicationId: '111111111111111111' });
    expect(puts[0]?.route).toBe('/applications/111111111111111111/commands');
  });

  it('a 401 becomes the one-line token error', async () => {
    const { rest } = fakeRest(Object.assign(new Error('401: Unauthorized'), { status: 401 }));
    await expect(registerCommands({ rest, applicationId: '1' })).rejects.toThrow(TOKEN_REJECTED);
  });
});

describe('asDiscordAuthError', () => {
  it('recognises TokenInvalid, HTTP 401 and gateway authentication failures only', () => {
    expect(asDiscordAuthError(Object.assign(new Error('x'), { code: 'TokenInvalid' }))).toBeInstanceOf(ConfigError);
    expect(asDiscordAuthError({ status: 401 })?.message).toBe(TOKEN_REJECTED);
    expect(asDiscordAuthError(new Error('Authentication failed'))).toBeInstanceOf(ConfigError);
    expect(asDiscordAuthError({ status: 500 })).toBeUndefined();
    expect(asDiscordAuthError('oops')).toBeUndefined();
  });
});

describe('startDiscordBot', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  it('refuses to start without a token', async () => {
    await expect(
      startDiscordBot({ config: testConfig(), library: new FakeLibrary(), logger: memoryLogger().logger }),
    ).rejects.toBeInstanceOf(ConfigError);
  });

  it('a token the API rejects (401) gives a one-line ConfigError without the token', async () => {
    const seen: string[] = [];
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: '401: Unauthorized', code: 0 }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const { logger, raw } = memoryLogger([TOKEN]);
    const error = await startDiscordBot({
      config: testConfig({ discordToken: TOKEN, discordApiUrl: `http://127.0.0.1:${port}/api` }),
      library: new FakeLibrary(),
      logger,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toBe(TOKEN_REJECTED);
    expect(message).not.toContain('\n');
    expect((error as ConfigError).stack).not.toContain(TOKEN);
    expect(raw.join('')).not.toContain(TOKEN);
    expect(seen[0]).toBe('GET /api/v10/gateway/bot');
  });

  it('no network at login: one line saying Discord could not be reached and at which address, no stack', async () => {
    // A port nothing listens on: the connection is refused, as with no network or an unknown host.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const apiUrl = `http://127.0.0.1:${port}/api`;
    const error = await startDiscordBot({
      config: testConfig({ discordToken: TOKEN, discordApiUrl: apiUrl }),
      library: new FakeLibrary(),
      logger: memoryLogger().logger,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toBe(`Could not reach Discord at ${apiUrl} (ECONNREFUSED). Check the network connection and DISCORD_API_URL, then start the bot again.`);
    expect(fatalMessage(error)).toBe(message);
  });

  it('names the network failure however deep fetch wrapped it', () => {
    const wrapped = new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND discord.com'), { code: 'ENOTFOUND' }) });
    expect(asDiscordUnreachableError(wrapped, undefined)?.message).toBe(
      'Could not reach Discord at https://discord.com/api (ENOTFOUND). Check the network connection, then start the bot again.',
    );
    expect(asDiscordUnreachableError(new Error('boom'), undefined)).toBeUndefined();
  });
});
