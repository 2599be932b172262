import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { formatReload } from '../render/reload';
import type { BotContext, ModeratorsOnly } from '../types';

export const data = new SlashCommandBuilder()
  .setName('reload')
  .setDescription('Re-read the article files (moderators only).')
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .toJSON();

export const REFUSAL =
  'Only moderators can reload the articles: you need the Manage Server permission or a moderator role.';

export const moderatorsOnly: ModeratorsOnly = { refusal: REFUSAL };

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const report = await ctx.library.reload({ trigger: '/reload', interactionId: interaction.id, userId: interaction.user.id });
  await interaction.editReply(formatReload(report));
}
