/** The replies to /ask and to a mention: the best sentences with their attribution, or an honest decline. */
import type { Answer, Hit, SourceInfo } from '../../sources/library-types';
import { quoteText } from '../../text/quote';
import { LIMITS } from '../limits';
import { clip, code, escapeText, plural, titleLink, truncate } from './escape';
import { COLORS, notice, reply, type Reply } from './reply';

export interface AnswerContext {
  /** How many articles are loaded, for the footer. */
  sources?: number;
  /** Title of the article the question was restricted to. */
  sourceTitle?: string;
}

/** "sentence 4 of 25" plus where the context sentence came from. */
function position(hit: Hit): string {
  const base = `sentence ${hit.sentence} of ${hit.total}`;
  return hit.context ? `${base} (with ${hit.context.sentence < hit.sentence ? 'the one before' : 'the one after'} for context)` : base;
}

function renderHit(hit: Hit, budget: number): string {
  let attribution = `— ${titleLink(hit.title, hit.url, 150)} · ${position(hit)}`;
  // A very long url would crowd out the quote: fall back to the plain title.
  if (attribution.length > budget / 2) attribution = `— ${titleLink(hit.title, undefined, 150)} · ${position(hit)}`;
  const hitOverhead = '> **'.length + '**'.length + 1; // quote, bold, newline
  const contextOverhead = hit.context ? '> '.length + 1 : 0;
  let room = Math.max(40, budget - attribution.length - hitOverhead - contextOverhead);
  const hitText = escapeText(hit.text, room);
  const contextText = hit.context ? escapeText(hit.context.text, room) : '';
  const contextShare = hit.context ? Math.min(contextText.length, Math.floor(room * 0.4)) : 0;
  const hitPart = truncate(hitText, room - contextShare);
  room -= hitPart.length;
  const lines: string[] = [];
  const quoted = `> **${hitPart}**`;
  if (hit.context && hit.context.sentence < hit.sentence) lines.push(`> ${truncate(contextText, room)}`, quoted);
  else if (hit.context) lines.push(quoted, `> ${truncate(contextText, room)}`);
  else lines.push(quoted);
  lines.push(attribution);
  return lines.join('\n');
}

export function formatAnswer(answer: Answer, ctx: AnswerContext = {}): Reply {
  if (!answer.answered || answer.hits.length === 0) return formatDecline(answer, ctx);
  const question = clip(answer.question, 200);

  const hits = answer.hits;
  const separator = '\n\n';
  // An unsure answer says so first: the sentences below are the closest ones, not an answer.
  const lead = [
    answer.followUp ? `Following up on **${clip(answer.followUp.title, 150)}**.` : '',
    answer.confident ? '' : "**I'm not sure the articles answer this.** The closest sentences:",
  ].filter((line) => line !== '');
  const head = lead.length > 0 ? `${lead.join('\n')}${separator}` : '';
  const perHit = Math.floor((LIMITS.embedDescription - head.length - separator.length * (hits.length - 1)) / hits.length);
  const description = head + hits.map((h) => truncate(renderHit(h, perHit), perHit)).join(separator);
  const footerParts = [`${plural(hits.length, 'best-matching sentence')}`];
  if (ctx.sourceTitle !== undefined) footerParts.push(`from ${truncate(ctx.sourceTitle.replace(/\s+/g, ' '), 150)}`);
  else if (ctx.sources !== undefined) footerParts.push(`from ${plural(ctx.sources, 'loaded article')}`);
  footerParts.push('/sources lists them');
  return reply({
    embeds: [
      {
        title: truncate(`Q: ${question}`, LIMITS.embedTitle),
        description,
        color: answer.confident ? COLORS.answer : COLORS.decline,
        footer: { text: footerParts.join(' · ') },
      },
    ],
  });
}

function formatDecline(answer: Answer, ctx: AnswerContext): Reply {
  if (answer.declineReason === 'empty-question' || answer.question.trim() === '') {
    return reply({
      embeds: [
        {
          title: 'Ask me a question',
          description:
            'Ask about the loaded news articles, e.g. `/ask question: Who wrote the letter?` or mention me with your question. `/sources` lists the articles.',
          color: COLORS.decline,
        },
      ],
    });
  }
  const scope =
    ctx.sourceTitle !== undefined ? `The article **${clip(ctx.sourceTitle, 200)}** does not` : 'The loaded articles do not';
  return reply({
    embeds: [
      {
        title: 'Not answered by the loaded articles',
        description: [
          `${scope} answer ${quoteText(clip(answer.question, 400))}.`,
          '',
          'I only quote sentences from the articles I have loaded, and none of them matched well enough. ' +
            'Try other words, or use `/sources` to see which articles are loaded.',
        ].join('\n'),
        color: COLORS.decline,
      },
    ],
  });
}

export function formatCooldown(retryAfterSeconds: number): Reply {
  return notice(`You're asking quickly — try again in ${Math.max(1, Math.ceil(retryAfterSeconds))} s.`);
}

/** How many matches an ambiguous `source:` reply lists before "and N more". */
const AMBIGUOUS_SHOWN = 10;

export function formatAmbiguousSource(source: string, matches: readonly SourceInfo[]): Reply {
  const shown = matches.slice(0, AMBIGUOUS_SHOWN).map((s) => `• ${clip(s.title, 80)} (${code(truncate(s.id, 100))})`);
  const more = matches.length - shown.length;
  return notice(
    [
      `${code(truncate(source, 100))} matches ${plural(matches.length, 'article')}:`,
      ...shown,
      ...(more > 0 ? [`…and ${more} more.`] : []),
      'Give more of the title, or pick one from the suggestions when typing `source:`.',
    ].join('\n'),
  );
}

export function formatUnknownSource(source: string, suggestions: readonly SourceInfo[] = []): Reply {
  const lines = [`No source named ${code(truncate(source, 100))} is loaded.`];
  if (suggestions.length > 0) {
    lines.push(`Did you mean: ${suggestions.slice(0, 3).map((s) => `${clip(s.title, 80)} (${code(truncate(s.id, 100))})`).join(', ')}?`);
  }
  lines.push('Use `/sources` to see the loaded articles, or pick one from the suggestions when typing `source:`.');
  return notice(lines.join('\n'));
}
