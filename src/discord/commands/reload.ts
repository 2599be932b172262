import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { ephemeral } from '../answer';
import { formatReload, notice } from '../format';
import { memberIsModerator } from '../permissions';
import type { BotContext } from '../types';

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
  if (!memberIsModerator(interaction.member, ctx.config.moderatorRoleIds, interaction.memberPermissions)) {
    ctx.logger.info({ interactionId: interaction.id, userId: interaction.user.id }, 'reload refused: not a moderator');
    await interaction.reply(ephemeral(notice(REFUSAL)));
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const report = await ctx.library.reload();
  ctx.logger[report.ok ? 'info' : 'warn'](
    {
      interactionId: interaction.id,
      userId: interaction.user.id,
      ok: report.ok,
      before: report.before,
      after: report.after,
      skipped: report.skipped.length,
      durationMs: report.durationMs,
      ...(report.error !== undefined ? { error: report.error } : {}),
    },
    report.ok ? 'reload finished' : 'reload failed; the old index is still serving',
  );
  ctx.onReload?.(report);
  await interaction.editReply(formatReload(report));
}
