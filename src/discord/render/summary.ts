/** The reply to /summary: one embed per article, within the 10-embed and 6,000-character limits. */
import type { APIEmbed } from 'discord.js';
import type { Summary } from '../../sources/library-types';
import { LIMITS } from '../limits';
import { clip, escapeText, plural, safeUrl, truncate } from './escape';
import { COLORS, notice, reply, type Reply } from './reply';

export function formatSummaries(summaries: readonly Summary[]): Reply {
  if (summaries.length === 0) {
    return notice('No articles are loaded, so there is nothing to summarise. Add article files and run `/reload`.');
  }
  const shown = summaries.slice(0, LIMITS.embeds);
  const left = summaries.length - shown.length;
  const budget = Math.floor(LIMITS.embedsTotal / shown.length);
  const embeds = shown.map((s): APIEmbed => {
    const title = clip(s.title || s.source, Math.min(LIMITS.embedTitle, Math.floor(budget / 4)));
    const footer = truncate(
      `${s.source.replace(/\s+/g, ' ')} · ${s.sentences.length} of ${plural(s.total, 'sentence')}`,
      Math.min(LIMITS.footer, Math.floor(budget / 4)),
    );
    const descBudget = Math.min(LIMITS.embedDescription, budget - title.length - footer.length);
    const k = Math.max(1, s.sentences.length);
    const perLine = Math.floor((descBudget - (k - 1)) / k);
    const description =
      s.sentences.length === 0
        ? '_This article has no indexable sentences._'
        : s.sentences.map((ref) => truncate(`> ${escapeText(ref.text, perLine)}`, perLine)).join('\n');
    const embed: APIEmbed = { title, description: truncate(description, descBudget), color: COLORS.summary, footer: { text: footer } };
    const href = safeUrl(s.url);
    if (href !== undefined) embed.url = href;
    return embed;
  });
  const content =
    left > 0
      ? `Showing ${shown.length} of ${summaries.length} articles (${left} left out: a message holds at most ${LIMITS.embeds}). Use \`/summary source:\` to pick one.`
      : undefined;
  return reply(content === undefined ? { embeds } : { content, embeds });
}
