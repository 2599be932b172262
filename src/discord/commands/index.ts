import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { ButtonHandler, Command } from '../types';
import * as ask from './ask';
import * as help from './help';
import * as insights from './insights';
import * as reload from './reload';
import * as settings from './settings';
import * as source from './source';
import * as sources from './sources';
import * as summary from './summary';

export interface CommandRegistry {
  commands: ReadonlyMap<string, Command>;
  buttons: readonly ButtonHandler[];
}

const all: Command[] = [ask, summary, sources, reload, source, settings, insights, help];

export const registry: CommandRegistry = {
  commands: new Map(all.map((c) => [c.data.name, c])),
  buttons: [sources.pageButton, source.removeButton, insights.voteButton],
};

/** The body of the one bulk overwrite (PUT) that registers every command. */
export function commandData(reg: CommandRegistry = registry): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return [...reg.commands.values()].map((c) => c.data);
}

export function findButton(customId: string, reg: CommandRegistry = registry): ButtonHandler | undefined {
  return reg.buttons.find((b) => customId.startsWith(b.prefix));
}
