import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Config } from '../config';
import type { InsightsStore } from '../insights/store';
import type { Logger } from '../logger';
import type { Library, ServerLibraryDirectory } from '../sources/library-types';
import type { Cooldown } from './cooldown';

/**
 * Everything a handler needs. startDiscordBot builds it once; the router then gives each handler the one of
 * the server the interaction came from (tests build their own).
 */
export interface BotContext {
  /** The articles of the server the interaction came from: the shared ones and its own. */
  library: Library;
  /** Every server's library and settings. */
  servers: ServerLibraryDirectory;
  /** The roles that make a member a moderator in this server. */
  moderatorRoleIds: readonly string[];
  config: Config;
  logger: Logger;
  /** Per-user cooldown for /ask and mentions. */
  cooldown: Cooldown;
  /** Where answers and votes are recorded for /insights; absent = not recorded (as with INSIGHTS=false). */
  insights?: InsightsStore;
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
