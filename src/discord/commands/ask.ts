import { InteractionContextType, SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { UnknownSourceError, type Answer, type Library, type SourceInfo } from '../../sources/library-types';
import { ASK_QUESTION_MAX, ASK_RESULTS_DEFAULT, ASK_RESULTS_MAX, ASK_RESULTS_MIN } from '../limits';
import { invokerIsModerator } from '../permissions';
import { formatAnswer, formatCooldown, formatUnknownSource } from '../render/answer';
import { voteRow } from '../render/insights';
import { ephemeral, type Reply } from '../render/reply';
import { resolveSource, respondWithSources } from '../source-option';
import type { BotContext } from '../types';
import { recordAnswer } from './insights';

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

  const allowed = ctx.cooldown.take(interaction.user.id, invokerIsModerator(interaction, ctx.moderatorRoleIds));
  if (!allowed.ok) {
    await interaction.reply(ephemeral(formatCooldown(allowed.retryAfterSeconds)));
    return;
  }

  const { reply, ok } = answerReply(
    ctx.library,
    {
      question,
      top,
      conversation: conversationKey(interaction.guildId, interaction.channelId),
      ...(resolved.source ? { source: resolved.source } : {}),
    },
    (answer) => recordAnswer(ctx, answer, { guildId: interaction.guildId ?? '', channelId: interaction.channelId, via: 'slash' }),
  );
  await interaction.reply(ok ? reply : ephemeral(reply));
}

export interface AskRequest {
  question: string;
  source?: SourceInfo;
  top?: number;
  /** The channel or thread it was asked in: a follow-up there is scoped to the previous answer's article. */
  conversation?: string;
}

/** One conversation per server and channel (a thread is a channel of its own). */
export function conversationKey(guildId: string | null, channelId: string | null): string {
  return `${guildId ?? 'dm'}:${channelId ?? 'none'}`;
}

/**
 * The reply to /ask and to a mention. An unknown source id thrown by the library (a reload removed it) becomes
 * an error reply. `record` stores the answer for /insights; when it returns a row id the answer gets 👍/👎.
 */
export function answerReply(library: Library, req: AskRequest, record?: (answer: Answer) => number | undefined): { reply: Reply; ok: boolean } {
  try {
    const answer = library.ask(req.question, {
      ...(req.source ? { source: req.source.id } : {}),
      ...(req.top !== undefined ? { top: req.top } : {}),
      ...(req.conversation !== undefined ? { conversation: req.conversation } : {}),
    });
    const reply = formatAnswer(answer, {
      sources: library.counts().sources,
      ...(req.source ? { sourceTitle: req.source.title || req.source.id } : {}),
    });
    const answerId = record?.(answer);
    if (answerId !== undefined) reply.components = [...(reply.components ?? []), voteRow(answerId)];
    return { reply, ok: true };
  } catch (err) {
    if (err instanceof UnknownSourceError) return { reply: formatUnknownSource(err.sourceId), ok: false };
    throw err;
  }
}

export async function autocomplete(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void> {
  await respondWithSources(interaction, ctx);
}
