import { Client, Options, type ClientOptions } from 'discord.js';
import type { Config } from '../config';
import { BOT_INTENTS } from './access';
import { NO_MENTIONS } from './render/reply';

/** Users (and members per server) kept in discord.js's caches; older ones are dropped, so memory stays bounded. */
export const SEEN_USERS_CACHED = 1_000;

/** Client options tests may override, e.g. `ws.buildIdentifyThrottler` to skip the 5 s wait between IDENTIFYs. */
export type ClientOverrides = Pick<ClientOptions, 'ws'>;

/**
 * The discord.js client: Guilds + GuildMessages only (no MessageContent: Discord still sends the content of
 * messages that mention the bot), no pings from anything the bot sends, optional REST base URL.
 * Under a ShardingManager, discord.js picks this process's shard from the SHARDS / SHARD_COUNT it sets.
 */
export function createDiscordClient(config: Pick<Config, 'discordApiUrl'>, overrides: ClientOverrides = {}): Client {
  const options: ClientOptions = {
    intents: BOT_INTENTS,
    allowedMentions: { ...NO_MENTIONS },
    failIfNotExists: false,
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 25,
      // discord.js keeps every user and member it ever saw; the bot only reads the ones of the current event.
      UserManager: { maxSize: SEEN_USERS_CACHED, keepOverLimit: (user) => user.id === user.client.user.id },
      GuildMemberManager: { maxSize: SEEN_USERS_CACHED, keepOverLimit: (member) => member.id === member.client.user.id },
    }),
    ...overrides,
  };
  if (config.discordApiUrl !== undefined) options.rest = { api: config.discordApiUrl };
  return new Client(options);
}
