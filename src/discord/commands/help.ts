import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { formatHelp } from '../render/help';
import { ephemeral } from '../render/reply';
import type { BotContext } from '../types';

export const data = new SlashCommandBuilder()
  .setName('help')
  .setDescription('What this bot does and how to use it.')
  .setContexts(InteractionContextType.Guild)
  .toJSON();

export async function execute(interaction: ChatInputCommandInteraction, _ctx: BotContext): Promise<void> {
  const name = interaction.client?.user?.username;
  await interaction.reply(ephemeral(formatHelp(name ? `@${name}` : undefined)));
}
