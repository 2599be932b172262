import { Events, RESTEvents, type Client } from 'discord.js';
import { ConfigError, type Config } from '../config';
import type { InsightsStore } from '../insights/store';
import type { Logger } from '../logger';
import type { Library, ServerLibraryDirectory } from '../sources/library-types';
import { oneLibraryForEveryServer } from '../sources/server-libraries';
import { startAutoReload } from '../sources/watch';
import { createDiscordClient, type ClientOverrides } from './client';
import { Cooldown } from './cooldown';
import { asDiscordAuthError, asDiscordUnreachableError } from './errors';
import { handleInteraction } from './events/interactionCreate';
import { handleMessage } from './events/messageCreate';
import { handleReady, updatePresence } from './events/ready';
import { registerCommands } from './register';
import type { BotContext } from './types';

export interface StartDiscordBotOptions {
  config: Config;
  /** The shared articles (SOURCES_DIR): the presence counts them and the folder watcher reloads them. */
  library: Library;
  /** Every server's own articles and settings; default: `library` for every server, settings in memory. */
  servers?: ServerLibraryDirectory;
  logger: Logger;
  /** How long to wait for the gateway to be ready after login (default 60 s). */
  readyTimeoutMs?: number;
  /** Records answers and votes for /insights (main.ts opens it from DATA_DIR); default: nothing is recorded. */
  insights?: InsightsStore;
  /** How long stop() waits for in-flight handlers before destroying the client (default 5 s). */
  stopTimeoutMs?: number;
  /** For tests: discord.js client options to override (e.g. the identify throttle). */
  clientOverrides?: ClientOverrides;
}

export interface RunningBot {
  client: Client<true>;
  /** Stops taking interactions and mentions, waits (bounded) for the in-flight ones, then destroys the client. */
  stop(): Promise<void>;
}

function delay(ms: number): { promise: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * Logs in, waits for ready, registers the slash commands with one bulk overwrite, and serves until stop().
 * A refused token rejects with a one-line ConfigError (no token, no stack).
 */
export async function startDiscordBot(options: StartDiscordBotOptions): Promise<RunningBot> {
  const { config, library, logger } = options;
  const token = config.discordToken;
  if (token === undefined) throw new ConfigError('DISCORD_TOKEN is not set; cannot start the Discord bot.');

  const client = createDiscordClient(config, options.clientOverrides);
  const ctx: BotContext = {
    library,
    servers: options.servers ?? oneLibraryForEveryServer(library, config.moderatorRoleIds),
    moderatorRoleIds: config.moderatorRoleIds,
    config,
    logger,
    cooldown: new Cooldown(config.askCooldownSeconds, { burst: config.askBurst }),
    ...(options.insights ? { insights: options.insights } : {}),
  };
  // The presence shows how many articles are loaded: it follows every change, whoever made it.
  const stopPresence = library.onChange(() => updatePresence(client, library));

  let accepting = true;
  const inflight = new Set<Promise<void>>();
  const track = (work: Promise<void>): void => {
    const p = work.catch((err: unknown) => logger.error({ err }, 'handler failed'));
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };

  client.on(Events.InteractionCreate, (interaction) => {
    if (accepting) track(handleInteraction(interaction, ctx));
  });
  client.on(Events.MessageCreate, (message) => {
    if (accepting) track(handleMessage(message, ctx));
  });
  // A server's folder is kept when the bot leaves (a re-invite finds its articles), only marked for FORGET_LEFT_GUILDS_DAYS.
  client.on(Events.GuildDelete, (guild) => {
    void ctx.servers.markLeft(guild.id).catch((err: unknown) => logger.warn({ err, guildId: guild.id }, 'could not mark a server as left'));
    logger.info({ guildId: guild.id }, 'left a server; its articles are kept');
  });
  client.on(Events.GuildCreate, (guild) => {
    void ctx.servers.markPresent(guild.id).catch((err: unknown) => logger.warn({ err, guildId: guild.id }, 'could not mark a server as joined'));
  });
  client.on(Events.Error, (err) => logger.error({ err }, 'Discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'Discord client warning'));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn({ code: event.code, shardId }, 'gateway disconnected'));
  client.on(Events.ShardReconnecting, (shardId) => logger.info({ shardId }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shardId, replayed) => logger.info({ shardId, replayed }, 'gateway resumed'));
  // discord.js waits the limit out and retries; the log shows when Discord is pushing back. No URL: it holds interaction tokens.
  client.rest.on(RESTEvents.RateLimited, (info) =>
    logger.warn({ route: info.route, method: info.method, global: info.global, retryAfterMs: info.retryAfter }, 'rate limited by Discord'),
  );

  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  let readyTimer: NodeJS.Timeout | undefined;
  const ready = new Promise<Client<true>>((resolve, reject) => {
    client.once(Events.ClientReady, (c) => {
      handleReady(c, ctx);
      resolve(c);
    });
    readyTimer = setTimeout(
      () => reject(new Error(`Discord did not report ready within ${Math.round(readyTimeoutMs / 1000)} s.`)),
      readyTimeoutMs,
    );
    readyTimer.unref();
  });
  ready.catch(() => undefined);

  let readyClient: Client<true>;
  try {
    await client.login(token);
    readyClient = await ready;
  } catch (err) {
    stopPresence();
    await client.destroy().catch(() => undefined);
    throw asDiscordAuthError(err) ?? asDiscordUnreachableError(err, config.discordApiUrl) ?? err;
  } finally {
    clearTimeout(readyTimer);
  }

  try {
    if (registersCommands(readyClient)) {
      await registerCommands({
        rest: client.rest,
        applicationId: readyClient.application.id,
        logger,
        ...(config.discordGuildId !== undefined ? { guildId: config.discordGuildId } : {}),
      });
    } else {
      logger.debug({ shards: readyClient.shard?.ids }, 'slash commands are registered by the process running shard 0');
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      stopPresence();
      await client.destroy().catch(() => undefined);
      throw err;
    }
    // The bot still works with the commands registered last time.
    logger.error({ err }, 'could not register the slash commands; continuing with the existing registration');
  }

  const stopForgetting = config.forgetLeftGuildsDays === undefined ? undefined : forgetLeftServers(readyClient, ctx, config.forgetLeftGuildsDays);

  const stopWatching = config.sourcesWatch
    ? startAutoReload({ path: config.sourcesDir, library, logger })
    : undefined;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      accepting = false;
      stopWatching?.();
      stopForgetting?.();
      stopPresence();
      if (inflight.size > 0) {
        logger.info({ inflight: inflight.size }, 'waiting for in-flight handlers');
        const timeout = delay(options.stopTimeoutMs ?? 5_000);
        await Promise.race([Promise.allSettled([...inflight]), timeout.promise]);
        timeout.cancel();
      }
      await client.destroy();
      logger.info('Discord bot stopped');
    })();
    return stopping;
  };

  return { client: readyClient, stop };
}

const FORGET_SWEEP_MS = 60 * 60_000;

/**
 * FORGET_LEFT_GUILDS_DAYS: the servers this process serves are marked present (a re-invite while the bot was
 * offline arrives in READY, not as a join), then every hour the folders of servers left long enough ago are
 * deleted. Under sharding each shard sweeps only the servers that belong to it.
 */
function forgetLeftServers(client: Client<true>, ctx: BotContext, days: number): () => void {
  const shards = client.shard;
  const isMine = (guildId: string): boolean => {
    if (shards === null) return true;
    const shard = Number((BigInt(guildId) >> 22n) % BigInt(shards.count));
    return shards.ids.includes(shard);
  };
  const sweep = async (): Promise<void> => {
    const forgotten = await ctx.servers.forgetLeftServers(days, (guildId) => isMine(guildId) && !client.guilds.cache.has(guildId));
    if (forgotten.length > 0) ctx.logger.info({ servers: forgotten.length, days }, 'forgot servers the bot left');
  };
  const start = async (): Promise<void> => {
    for (const guildId of client.guilds.cache.keys()) await ctx.servers.markPresent(guildId);
    await sweep();
  };
  void start().catch((err: unknown) => ctx.logger.warn({ err }, 'could not forget the servers the bot left'));
  const timer = setInterval(() => void sweep().catch((err: unknown) => ctx.logger.warn({ err }, 'could not forget the servers the bot left')), FORGET_SWEEP_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** One bulk overwrite per deployment is enough: under a ShardingManager only the process with shard 0 does it. */
function registersCommands(client: Client<true>): boolean {
  return client.shard === null || client.shard.ids.includes(0);
}
