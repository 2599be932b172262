import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { answersCsv } from '../../insights/csv';
import { answerRecord, type AskedWhere } from '../../insights/record';
import { buildReport } from '../../insights/report';
import type { Answer } from '../../sources/library-types';
import { formatInsightsReport, formatInsightsUnavailable, formatVoteResult, parseVoteButton, VOTE_BUTTON_PREFIX } from '../render/insights';
import { ephemeral, notice } from '../render/reply';
import type { BotContext, ButtonHandler, ModeratorsOnly } from '../types';

const DAY_MS = 86_400_000;
const PERIODS = [7, 30] as const;
/** Discord's attachment limit for bots is 10 MB; the export stays well under it. */
const EXPORT_MAX_BYTES = 8_000_000;

export const data = new SlashCommandBuilder()
  .setName('insights')
  .setDescription('What members asked that the articles miss, and how they voted (moderators only).')
  .setContexts(InteractionContextType.Guild)
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommand((s) =>
    s
      .setName('report')
      .setDescription('Questions not answered, the answers with the most 👎, and each article’s record.')
      .addIntegerOption((o) =>
        o.setName('days').setDescription('How far back (default 7)').setRequired(false).addChoices(...PERIODS.map((d) => ({ name: `${d} days`, value: d }))),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('export')
      .setDescription('Every recorded answer of this server as a CSV file.')
      .addIntegerOption((o) =>
        o.setName('days').setDescription('How far back (default: all kept)').setRequired(false).addChoices(...PERIODS.map((d) => ({ name: `${d} days`, value: d }))),
      ),
  )
  .toJSON();

export const REFUSAL = 'Only moderators can see insights: you need the Manage Server permission or a moderator role.';

export const moderatorsOnly: ModeratorsOnly = { refusal: REFUSAL };

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  const store = ctx.insights;
  if (guildId === null) {
    await interaction.reply(ephemeral(notice('Insights are per server: use this in a server.')));
    return;
  }
  if (store === undefined || store.status().state === 'off' || store.status().state === 'unavailable') {
    await interaction.reply(ephemeral(formatInsightsUnavailable(store?.status() ?? { state: 'off' })));
    return;
  }
  const subcommand = interaction.options.getSubcommand();
  const days = interaction.options.getInteger('days');
  const now = new Date();
  // Only this server's rows are ever read: the guild id comes from Discord, not from an option.
  if (subcommand === 'export') {
    const read = store.read(guildId, days === null ? undefined : new Date(now.getTime() - days * DAY_MS));
    if (!read.ok) {
      await interaction.reply(ephemeral(formatInsightsUnavailable(store.status(), read.reason)));
      return;
    }
    let answers = read.answers;
    let csv = answersCsv(answers);
    while (Buffer.byteLength(csv) > EXPORT_MAX_BYTES && answers.length > 1) {
      answers = answers.slice(Math.floor(answers.length / 4)); // keep the newest
      csv = answersCsv(answers);
    }
    const cut = answers.length < read.answers.length ? ` (the newest ${answers.length} of ${read.answers.length}, to fit Discord's file limit)` : '';
    await interaction.reply({
      ...ephemeral(notice(`${answers.length} recorded answers${days === null ? '' : ` from the last ${days} days`}${cut}.`)),
      files: [{ attachment: Buffer.from(csv, 'utf8'), name: `insights-${guildId}-${now.toISOString().slice(0, 10)}.csv` }],
    });
    return;
  }
  const window = days ?? 7;
  const read = store.read(guildId, new Date(now.getTime() - window * DAY_MS));
  if (!read.ok) {
    await interaction.reply(ephemeral(formatInsightsUnavailable(store.status(), read.reason)));
    return;
  }
  await interaction.reply(ephemeral(formatInsightsReport(buildReport(guildId, read.answers, { days: window, now }), store.status())));
}

/** 👍/👎 under an answer: anyone in the server may vote; once per member per answer, changeable. */
export const voteButton: ButtonHandler = {
  prefix: VOTE_BUTTON_PREFIX,
  async execute(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
    const parsed = parseVoteButton(interaction.customId);
    const guildId = interaction.guildId;
    if (parsed === undefined || guildId === null) {
      await interaction.reply(ephemeral(notice('This button no longer works. Ask again.')));
      return;
    }
    const store = ctx.insights;
    const off = store === undefined || store.status().state === 'off';
    const result = store === undefined ? { kind: 'unavailable' as const, reason: 'off' } : store.vote(parsed.answerId, guildId, interaction.user.id, parsed.vote);
    await interaction.reply({ ...formatVoteResult(result, off), flags: MessageFlags.Ephemeral });
  },
};

/**
 * Records an /ask or mention answer and returns its row id (for the vote buttons), or undefined when
 * insights are off or failing, or there was no question to record.
 */
export function recordAnswer(ctx: BotContext, answer: Answer & { confident?: boolean }, where: AskedWhere): number | undefined {
  if (ctx.insights === undefined || answer.declineReason === 'empty-question') return undefined;
  return ctx.insights.record(answerRecord(answer, where));
}
