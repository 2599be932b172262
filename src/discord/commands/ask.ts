import { InteractionContextType, SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { answerReply, ephemeral, resolveSource, respondWithSources } from '../answer';
import { formatCooldown } from '../format';
import { ASK_QUESTION_MAX, ASK_RESULTS_DEFAULT, ASK_RESULTS_MAX, ASK_RESULTS_MIN } from '../limits';
import { invokerIsModerator } from '../permissions';
import type { BotContext } from '../types';

export const data = new SlashCommandBuilder()
  .setName('ask')
  .setDescription('Ask a question; I answer with the best-matching sentences from the loaded articles.')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) =>
    o.setName('question').setDescription('Your question').setRequired(true).setMinLength(1).setMaxLength(ASK_QUESTION_MAX),
  )
  .addStringOption((o) =>
    o.setName('source').setDescription('Only search this article').setRequired(false).setAutocomplete(true),
  )
  .addIntegerOption((o) =>
    o
      .setName('results')
      .setDescription(`How many sentences to show (default ${ASK_RESULTS_DEFAULT})`)
      .setRequired(false)
      .setMinValue(ASK_RESULTS_MIN)
      .setMaxValue(ASK_RESULTS_MAX),
  )
  .toJSON();

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const question = interaction.options.getString('question', true);
  const resolved = resolveSource(ctx.library, interaction.options.getString('source'));
  if (!resolved.ok) {
    await interaction.reply(ephemeral(resolved.reply));
    return;
  }
  const results = interaction.options.getInteger('results');
  const top = Math.min(ASK_RESULTS_MAX, Math.max(ASK_RESULTS_MIN, results ?? ASK_RESULTS_DEFAULT));

  const allowed = ctx.cooldown.take(interaction.user.id, invokerIsModerator(interaction, ctx.config.moderatorRoleIds));
  if (!allowed.ok) {
    await interaction.reply(ephemeral(formatCooldown(allowed.retryAfterSeconds)));
    return;
  }

  const { reply, ok } = answerReply(ctx.library, {
    question,
    top,
    ...(resolved.source ? { source: resolved.source } : {}),
  });
  await interaction.reply(ok ? reply : ephemeral(reply));
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await respondWithSources(interaction, ctx);
}
