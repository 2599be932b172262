import { InteractionContextType, SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { UnknownSourceError } from '../../sources/library-types';
import { SUMMARY_SENTENCES_DEFAULT, SUMMARY_SENTENCES_MAX, SUMMARY_SENTENCES_MIN } from '../limits';
import { formatUnknownSource } from '../render/answer';
import { ephemeral } from '../render/reply';
import { formatSummaries } from '../render/summary';
import { resolveSource, respondWithSources } from '../source-option';
import type { BotContext } from '../types';

export const data = new SlashCommandBuilder()
  .setName('summary')
  .setDescription('The key sentences of each loaded article, or of one.')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) =>
    o.setName('source').setDescription('Only summarise this article').setRequired(false).setAutocomplete(true),
  )
  .addIntegerOption((o) =>
    o
      .setName('sentences')
      .setDescription(`Sentences per summary (default ${SUMMARY_SENTENCES_DEFAULT})`)
      .setRequired(false)
      .setMinValue(SUMMARY_SENTENCES_MIN)
      .setMaxValue(SUMMARY_SENTENCES_MAX),
  )
  .toJSON();

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const resolved = resolveSource(ctx.library, interaction.options.getString('source'));
  if (!resolved.ok) {
    await interaction.reply(ephemeral(resolved.reply));
    return;
  }
  const requested = interaction.options.getInteger('sentences') ?? SUMMARY_SENTENCES_DEFAULT;
  const sentences = Math.min(SUMMARY_SENTENCES_MAX, Math.max(SUMMARY_SENTENCES_MIN, requested));
  let summaries;
  try {
    summaries = ctx.library.summarize({ sentences, ...(resolved.source ? { source: resolved.source.id } : {}) });
  } catch (err) {
    if (err instanceof UnknownSourceError) {
      await interaction.reply(ephemeral(formatUnknownSource(err.sourceId)));
      return;
    }
    throw err;
  }
  await interaction.reply(formatSummaries(summaries));
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await respondWithSources(interaction, ctx);
}
