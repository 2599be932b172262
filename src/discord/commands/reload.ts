import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { ephemeral } from '../answer';
import { formatReload, notice } from '../format';
import { invokerIsModerator } from '../permissions';
import type { BotContext } from '../types';
import { logReload } from '../../sources/reload-log';

export const data = new SlashCommandBuilder()
  .setName('reload')
  .setDescription('Re-read the article files (moderators only).')
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .toJSON();

export const REFUSAL =
  'Only moderators can reload the articles: you need the Manage Server permission or a moderator role.';

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  // Default member permissions can be overridden by server admins, so check again here.
  if (!invokerIsModerator(interaction, ctx.config.moderatorRoleIds)) {
    ctx.logger.info({ interactionId: interaction.id, userId: interaction.user.id }, 'reload refused: not a moderator');
    await interaction.reply(ephemeral(notice(REFUSAL)));
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const report = await ctx.library.reload();
  logReload(ctx.logger, report, { interactionId: interaction.id, userId: interaction.user.id }, '/reload');
  ctx.onReload?.(report);
  await interaction.editReply(formatReload(report));
}
