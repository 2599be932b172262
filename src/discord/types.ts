import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Library } from '../sources/library-types';
import type { Cooldown } from './cooldown';

/** Everything a handler needs; built once by startDiscordBot (tests build their own). */
export interface BotContext {
  library: Library;
  config: Config;
  logger: Logger;
  /** Per-user cooldown for /ask and mentions. */
  cooldown: Cooldown;
}

/**
 * For a command or button only moderators may use: the router checks before the handler runs (slash commands'
 * default member permissions can be overridden by server admins, and buttons have none), and answers anyone
 * else with `refusal`, only to them.
 */
export interface ModeratorsOnly {
  refusal: string;
}

export interface Command {
  /** The JSON sent to Discord in the bulk overwrite. */
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  moderatorsOnly?: ModeratorsOnly;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

/** Handles buttons whose custom_id starts with `prefix`. */
export interface ButtonHandler {
  prefix: string;
  moderatorsOnly?: ModeratorsOnly;
  execute(interaction: ButtonInteraction, ctx: BotContext): Promise<void>;
}
