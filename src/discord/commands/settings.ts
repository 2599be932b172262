import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { notice } from '../render/reply';
import type { BotContext, ModeratorsOnly } from '../types';

export const data = new SlashCommandBuilder()
  .setName('settings')
  .setDescription("This server's settings for the bot (moderators only).")
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((sub) =>
    sub
      .setName('moderator-role')
      .setDescription('Members with this role may manage the articles here; leave it out to clear it.')
      .addRoleOption((o) => o.setName('role').setDescription('The moderator role').setRequired(false)),
  )
  .toJSON();

export const REFUSAL = "Only moderators can change this server's settings: you need the Manage Server permission or the moderator role.";

export const moderatorsOnly: ModeratorsOnly = { refusal: REFUSAL };

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  if (guildId === null) return;
  // The raw id: Discord sends the role itself in `resolved`, which is all this needs from it.
  const picked = interaction.options.get('role')?.value;
  const roleId = typeof picked === 'string' && /^\d{17,20}$/.test(picked) ? picked : undefined;
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await ctx.servers.setModeratorRole(guildId, roleId);
  ctx.logger.info({ guildId, userId: interaction.user.id, userTag: interaction.user.tag, moderatorRoleId: roleId ?? null }, 'moderator role changed');
  const fallback = ctx.config.moderatorRoleIds.length > 0 ? ', or one of the roles the bot’s operator set (MODERATOR_ROLE_IDS)' : '';
  await interaction.editReply(
    notice(
      roleId === undefined
        ? `Moderator role cleared: moderators here are members with Manage Server${fallback}.`
        : `Moderator role set: members with <@&${roleId}> (and anyone with Manage Server) may now manage this server's articles and settings.`,
    ),
  );
}
