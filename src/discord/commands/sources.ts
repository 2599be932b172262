import { InteractionContextType, SlashCommandBuilder, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { formatSources, SOURCES_BUTTON_PREFIX } from '../render/sources';
import type { BotContext, ButtonHandler } from '../types';

export const data = new SlashCommandBuilder()
  .setName('sources')
  .setDescription('List the loaded articles: title, id, sentence count and when they were loaded.')
  .setContexts(InteractionContextType.Guild)
  .toJSON();

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  await interaction.reply(formatSources(ctx.library.sources(), 0));
}

/** The ◀ / ▶ buttons under a multi-page /sources list: re-render the requested page in place. */
export const pageButton: ButtonHandler = {
  prefix: SOURCES_BUTTON_PREFIX,
  async execute(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
    const page = Number.parseInt(interaction.customId.slice(SOURCES_BUTTON_PREFIX.length), 10);
    await interaction.update(formatSources(ctx.library.sources(), Number.isFinite(page) ? page : 0));
  },
};
