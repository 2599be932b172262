import { REST, Routes, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { commandData } from './commands/index';
import { asDiscordAuthError, asDiscordUnreachableError } from './errors';

export interface RegisterOptions {
  rest: REST;
  applicationId: string;
  /** Register in this guild only; else globally. */
  guildId?: string;
  logger?: Logger;
  commands?: RESTPostAPIChatInputApplicationCommandsJSONBody[];
}

/** Registers every command with ONE bulk overwrite (PUT), in a guild or globally. Returns how many. */
export async function registerCommands(opts: RegisterOptions): Promise<number> {
  const body = opts.commands ?? commandData();
  const route =
    opts.guildId !== undefined
      ? Routes.applicationGuildCommands(opts.applicationId, opts.guildId)
      : Routes.applicationCommands(opts.applicationId);
  try {
    const result = (await opts.rest.put(route, { body })) as unknown[];
    opts.logger?.info(
      { count: Array.isArray(result) ? result.length : body.length, scope: opts.guildId ? `guild ${opts.guildId}` : 'global' },
      'slash commands registered',
    );
    return body.length;
  } catch (err) {
    throw asDiscordAuthError(err) ?? err;
  }
}

export function createRest(config: Pick<Config, 'discordApiUrl' | 'discordToken'>): REST {
  const rest = new REST(config.discordApiUrl !== undefined ? { api: config.discordApiUrl } : {});
  if (config.discordToken !== undefined) rest.setToken(config.discordToken);
  return rest;
}

/** For scripts/deploy-commands.ts: looks up the application id with the token, then registers. */
export async function deployCommands(config: Config, logger?: Logger): Promise<{ count: number; applicationId: string }> {
  const rest = createRest(config);
  let applicationId: string;
  try {
    const app = (await rest.get(Routes.currentApplication())) as { id: string };
    applicationId = app.id;
  } catch (err) {
    throw asDiscordAuthError(err) ?? asDiscordUnreachableError(err, config.discordApiUrl) ?? err;
  }
  const count = await registerCommands({
    rest,
    applicationId,
    ...(config.discordGuildId !== undefined ? { guildId: config.discordGuildId } : {}),
    ...(logger ? { logger } : {}),
  });
  return { count, applicationId };
}
