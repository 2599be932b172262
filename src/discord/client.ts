import { Client, GatewayIntentBits, Options, type ClientOptions } from 'discord.js';
import type { Config } from '../config';
import { NO_MENTIONS } from './format';

/**
 * The discord.js client: Guilds + GuildMessages only (no MessageContent: Discord still sends the content of
 * messages that mention the bot), no pings from anything the bot sends, optional REST base URL.
 */
export function createDiscordClient(config: Pick<Config, 'discordApiUrl'>): Client {
  const options: ClientOptions = {
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    allowedMentions: { ...NO_MENTIONS, parse: [] },
    failIfNotExists: false,
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 25 }),
  };
  if (config.discordApiUrl !== undefined) options.rest = { api: config.discordApiUrl };
  return new Client(options);
}
