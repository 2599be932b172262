import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Library, ReloadReport } from '../sources/library-types';
import type { Cooldown } from './cooldown';

/** Everything a handler needs; built once by startDiscordBot (tests build their own). */
export interface BotContext {
  library: Library;
  config: Config;
  logger: Logger;
  /** Per-user cooldown for /ask and mentions. */
  cooldown: Cooldown;
  /** Called after every /reload (e.g. to refresh the presence). */
  onReload?: (report: ReloadReport) => void;
  /** Called after a source was added or removed (e.g. to refresh the presence). */
  onSourcesChanged?: () => void;
}

export interface Command {
  /** The JSON sent to Discord in the bulk overwrite. */
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

/** Handles buttons whose custom_id starts with `prefix`. */
export interface ButtonHandler {
  prefix: string;
  execute(interaction: ButtonInteraction, ctx: BotContext): Promise<void>;
}
