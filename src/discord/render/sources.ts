/** The reply to /sources: the loaded articles, paged with ◀ / ▶ buttons. */
import { ButtonStyle, ComponentType, type APIButtonComponent, type APIEmbed } from 'discord.js';
import type { SourceInfo } from '../../sources/library-types';
import { LIMITS } from '../limits';
import { code, plural, relativeTime, titleLink, truncate } from './escape';
import { COLORS, notice, reply, type Reply } from './reply';

export const SOURCES_PER_PAGE = 15;
export const SOURCES_BUTTON_PREFIX = 'sources:page:';

/** In a server that also has shared articles, each line says which group it belongs to. */
function sourceLine(s: SourceInfo, grouped: boolean): string {
  const group = grouped ? (s.shared === true ? '🌐 shared · ' : '🏠 this server · ') : '';
  return `**${titleLink(s.title || s.id, s.url, 180)}**\n${group}${code(truncate(s.id, 100))} · ${plural(s.sentences, 'sentence')} · loaded ${relativeTime(s.loadedAt)}`;
}

/** Splits the lines into pages of at most SOURCES_PER_PAGE lines and the description limit. */
function paginate(lines: readonly string[]): string[][] {
  const pages: string[][] = [];
  let page: string[] = [];
  let length = 0;
  for (const line of lines) {
    const added = (page.length > 0 ? 2 : 0) + line.length;
    if (page.length > 0 && (page.length >= SOURCES_PER_PAGE || length + added > LIMITS.embedDescription)) {
      pages.push(page);
      page = [];
      length = 0;
    }
    page.push(line);
    length += (page.length > 1 ? 2 : 0) + line.length;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

export function formatSources(sources: readonly SourceInfo[], requestedPage = 0): Reply {
  if (sources.length === 0) {
    return notice('No articles are loaded. Add article files to the sources folder and run `/reload`.');
  }
  const grouped = sources.some((s) => s.shared === true);
  const pages = paginate(sources.map((s) => sourceLine(s, grouped)));
  const pageIndex = Math.min(Math.max(0, Math.trunc(requestedPage)), pages.length - 1);
  const sentences = sources.reduce((n, s) => n + s.sentences, 0);
  const shared = sources.filter((s) => s.shared === true).length;
  const footer = grouped
    ? [`${shared} shared`, `${sources.length - shared} this server's`, `${plural(sentences, 'sentence')}`]
    : [`${plural(sources.length, 'article')}`, `${plural(sentences, 'sentence')}`];
  if (pages.length > 1) footer.push(`page ${pageIndex + 1} of ${pages.length}`);
  const embed: APIEmbed = {
    title: `Loaded articles (${sources.length})`,
    description: (pages[pageIndex] ?? []).join('\n\n'),
    color: COLORS.answer,
    footer: { text: footer.join(' · ') },
  };
  if (pages.length <= 1) return reply({ embeds: [embed] });
  const button = (label: string, page: number, disabled: boolean): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: `${SOURCES_BUTTON_PREFIX}${page}`,
    disabled,
  });
  return reply({
    embeds: [embed],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          button('◀ Previous', pageIndex - 1, pageIndex === 0),
          button('Next ▶', pageIndex + 1, pageIndex === pages.length - 1),
        ],
      },
    ],
  });
}
