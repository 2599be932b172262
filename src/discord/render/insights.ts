/** The 👍/👎 buttons under an answer, the replies to a vote, and /insights. */
import { ButtonStyle, ComponentType, type APIEmbed } from 'discord.js';
import type { InsightsReport } from '../../insights/report';
import type { InsightsStatus, Vote, VoteResult } from '../../insights/types';
import { clip, code, plural } from './escape';
import { COLORS, notice, reply, type ButtonRow, type Reply } from './reply';

/** `vote:<answer row id>:up|down`: the row id survives a restart, so old buttons keep working. */
export const VOTE_BUTTON_PREFIX = 'vote:';

export function voteButtonId(answerId: number, vote: Vote): string {
  return `${VOTE_BUTTON_PREFIX}${answerId}:${vote === 1 ? 'up' : 'down'}`;
}

export function parseVoteButton(customId: string): { answerId: number; vote: Vote } | undefined {
  const match = /^vote:(\d{1,15}):(up|down)$/.exec(customId);
  if (!match) return undefined;
  return { answerId: Number(match[1]), vote: match[2] === 'up' ? 1 : -1 };
}

export function voteRow(answerId: number): ButtonRow {
  const button = (vote: Vote, emoji: string, label: string) => ({
    type: ComponentType.Button as const,
    style: ButtonStyle.Secondary as const,
    custom_id: voteButtonId(answerId, vote),
    emoji: { name: emoji },
    label,
  });
  return { type: ComponentType.ActionRow, components: [button(1, '👍', 'Helpful'), button(-1, '👎', 'Not helpful')] };
}

export const VOTE_GONE =
  'This answer is no longer in my records (answers are kept for a limited time), so your vote was not counted. Ask again to vote on a new answer.';
export const VOTE_UNAVAILABLE = "Votes can't be recorded right now; the moderators can see why with `/insights report`.";
export const VOTE_OFF = 'Votes are not recorded on this bot: its moderators turned insights off.';

export function formatVoteResult(result: VoteResult, off: boolean): Reply {
  if (result.kind === 'gone') return notice(VOTE_GONE);
  if (result.kind === 'unavailable') return notice(off ? VOTE_OFF : VOTE_UNAVAILABLE);
  const emoji = result.vote === 1 ? '👍' : '👎';
  return notice(result.previous === undefined ? `Thanks — recorded ${emoji}.` : `Thanks — recorded: changed to ${emoji}.`);
}

/** Why /insights has nothing to show. */
export function formatInsightsUnavailable(status: InsightsStatus, reason?: string): Reply {
  if (status.state === 'off') {
    return notice('Insights are turned off on this bot (`INSIGHTS=false`): no questions or votes are recorded.');
  }
  return notice(`I have no insights to show: the insights database cannot be used (${clip(reason ?? statusReason(status), 1500)}). Answering goes on without it.`);
}

function statusReason(status: InsightsStatus): string {
  return status.state === 'failing' || status.state === 'unavailable' ? status.reason : 'unknown';
}

function field(name: string, lines: string[], empty: string): { name: string; value: string } {
  // A field holds 1,024 characters: whole lines only.
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (length + line.length + 1 > 1024) break;
    kept.push(line);
    length += line.length + 1;
  }
  return { name, value: kept.length > 0 ? kept.join('\n') : empty };
}

/** The /insights report: what the articles miss, the answers members disliked, and each article's record. */
export function formatInsightsReport(report: InsightsReport, status: InsightsStatus): Reply {
  const { totals } = report;
  const missed = report.missed.map((group) => {
    const phrasings = group.phrasings
      .slice(0, 2)
      .map((p) => `“${clip(p.question, 90)}”${p.count > 1 ? ` ×${p.count}` : ''}`)
      .join(' · ');
    const topic = group.words.length > 0 ? `**${clip(group.words.join(', '), 60)}**` : '**(no topical words)**';
    const more = group.phrasings.length > 2 ? ` +${group.phrasings.length - 2} more` : '';
    return `${group.count}× ${topic}: ${phrasings}${more}`;
  });
  const downvoted = report.downvoted.map((item) => {
    const head = `👎 ${item.down} · 👍 ${item.up} — “${clip(item.question, 90)}”`;
    if (!item.quote) return `${head} (declined)`;
    return `${head}\n> ${clip(item.quote.text, 160)}\n> — ${clip(item.quote.title, 60)}, sentence ${item.quote.sentence}`;
  });
  const articles = report.articles.map((a) => `${plural(a.answered, 'answer')} · 👍 ${a.up} · 👎 ${a.down} — ${clip(a.title, 80)} (${code(a.source.slice(0, 80))})`);
  const embed: APIEmbed = {
    title: `Insights: the last ${report.days} days`,
    description:
      `${plural(totals.questions, 'question')}: ${totals.answered} answered (${totals.unconfident} without confidence), ` +
      `${totals.declined} not answered · votes 👍 ${totals.up} · 👎 ${totals.down}`,
    color: COLORS.summary,
    fields: [
      field('Questions the articles miss', missed, 'None: every question was answered confidently.'),
      field('Answers with the most 👎', downvoted, 'No answer has a 👎.'),
      field('Per article', articles, 'No article has answered yet.'),
    ],
    footer: { text: 'Only this server. /insights export gives every recorded answer as CSV.' },
  };
  const warning = status.state === 'failing' ? `⚠️ Recording has failed since ${status.since.toISOString()}: ${clip(status.reason, 400)}` : undefined;
  return reply({ ...(warning ? { content: warning } : {}), embeds: [embed] });
}
