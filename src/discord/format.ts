/**
 * Turns engine results into Discord message payloads that respect every Discord limit by construction,
 * with article text and echoed user input escaped so it can neither format, link nor ping.
 */
import {
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type MessageMentionOptions,
} from 'discord.js';
import type { Answer, Hit, ReloadReport, SourceInfo, Summary } from '../sources/library-types';
import { LIMITS } from './limits';

export const ELLIPSIS = '…';
export const ZWSP = '\u200b';

/** Nothing in a bot message may ping anyone, including the author of the message it replies to. */
export const NO_MENTIONS: MessageMentionOptions = Object.freeze({ parse: [], repliedUser: false });

export const COLORS = { answer: 0x5865f2, decline: 0x99aab5, summary: 0x3ba55c, ok: 0x3ba55c, error: 0xed4245 } as const;

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** A message body ready for reply / editReply / followUp / message.reply. */
export interface Reply {
  content?: string;
  embeds: APIEmbed[];
  components?: ButtonRow[];
  allowedMentions: MessageMentionOptions;
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

function dropBrokenTail(text: string): string {
  let out = text;
  // Never split a surrogate pair.
  const last = out.charCodeAt(out.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  // Never leave a dangling escape backslash (it would escape the ellipsis).
  const backslashes = /\\+$/.exec(out)?.[0].length ?? 0;
  if (backslashes % 2 === 1) out = out.slice(0, -1);
  return out;
}

/**
 * Shortens `text` to at most `max` UTF-16 units. Prefers a sentence boundary (then " …"), else a word
 * boundary (then "…"), else a hard cut; never returns more than `max`.
 */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  if (max === 1) return ELLIPSIS;
  const room = max - 1;
  const head = text.slice(0, room + 1);

  // Sentence boundary: end punctuation (and closing quotes/brackets) followed by whitespace, keeping >= 60%.
  let sentenceEnd = -1;
  for (const m of head.matchAll(/[.!?…]["'”’)\]]*(?=\s)/g)) {
    const end = m.index + m[0].length;
    if (end <= max - 2) sentenceEnd = end;
  }
  if (sentenceEnd >= room * 0.6) return `${dropBrokenTail(text.slice(0, sentenceEnd))} ${ELLIPSIS}`;

  // Word boundary: the last whitespace at or before `room`, keeping >= 50%.
  let space = -1;
  for (let i = Math.min(room, text.length - 1); i >= 0; i--) {
    if (/\s/.test(text[i] ?? '')) {
      space = i;
      break;
    }
  }
  if (space >= room * 0.5) {
    const words = text.slice(0, space).replace(/[\s,;:\-–—]+$/u, '');
    if (words.length > 0) return `${dropBrokenTail(words)}${ELLIPSIS}`;
  }
  return `${dropBrokenTail(text.slice(0, room))}${ELLIPSIS}`;
}

/** Breaks every `scheme://` so Discord neither links nor unfurls it (masked links included). */
export function neutraliseLinks(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*):\/\//gi, `$1:${ZWSP}//`);
}

/** `@everyone`, `@here`, `<@id>`, `<@!id>`, `<@&id>`, `<#id>`, `</cmd:id>`, `<id:...>` become inert text. */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(everyone|here)/gi, `@${ZWSP}$1`).replace(/<(@[!&]?|#|\/|id:)/g, `<${ZWSP}$1`);
}

/**
 * Makes untrusted text (article sentences, titles, echoed questions, file names, error reasons) show
 * literally: one line, no markdown, no links, no mentions.
 */
export function escapeText(text: string, limit?: number): string {
  let oneLine = text.replace(/\s+/g, ' ').trim();
  // Escaping only lengthens text, so when the caller will cut to `limit`, escape just a little more than that
  // (escapeMarkdown's look-behinds are slow on very long input).
  if (limit !== undefined && oneLine.length > limit + 64) oneLine = oneLine.slice(0, limit + 64);
  const escaped = escapeMarkdown(neutraliseLinks(oneLine), {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  });
  // Line-start syntax escapeMarkdown leaves alone: block quotes and `-# ` subtext.
  return neutraliseMentions(escaped).replace(/^>/, '\\>').replace(/^-#/, '\\-#');
}

/** Escape + truncate: `max` bounds the escaped result. */
export function clip(text: string, max: number): string {
  return truncate(escapeText(text, max), max);
}

/** Inline code that survives any content (falls back to escaped text when it contains a backtick). */
export function code(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.includes('`') || oneLine === '' ? escapeText(oneLine) : `\`${oneLine}\``;
}

/** An http(s) URL safe inside `[text](url)` and as an embed url, or undefined. */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined || url.length > 512) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return parsed.href.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Article title as a masked link when it has a usable url, else escaped text. `max` bounds the title text. */
export function titleLink(title: string, url: string | undefined, max = 150): string {
  // Escape brackets that escapeMarkdown left bare (escaped pairs like `\\[` are skipped as units).
  const text = clip(title || 'Untitled', max).replace(/\\.|[[\]]/g, (m) => (m.length === 2 ? m : `\\${m}`));
  const href = safeUrl(url);
  return href === undefined ? text : `[${text}](${href})`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Discord relative timestamp, e.g. `<t:1700000000:R>`. */
export function relativeTime(date: Date): string {
  return `<t:${Math.floor(date.getTime() / 1000)}:R>`;
}

// ---------------------------------------------------------------------------------------------
// Embeds and limits
// ---------------------------------------------------------------------------------------------

/** Characters Discord counts toward the 6,000 total for one embed. */
export function embedLength(embed: APIEmbed): number {
  let n = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  n += embed.footer?.text.length ?? 0;
  n += embed.author?.name.length ?? 0;
  for (const f of embed.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

export function totalEmbedLength(embeds: readonly APIEmbed[]): number {
  return embeds.reduce((sum, e) => sum + embedLength(e), 0);
}

/** Clamps every part of every embed to its limit, keeps at most 10 embeds and 25 fields, then trims to 6,000 in total. */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const out = embeds.slice(0, LIMITS.embeds).map((e): APIEmbed => {
    const c: APIEmbed = { ...e };
    if (c.title !== undefined) c.title = truncate(c.title, LIMITS.embedTitle);
    if (c.description !== undefined) c.description = truncate(c.description, LIMITS.embedDescription);
    if (c.footer) c.footer = { ...c.footer, text: truncate(c.footer.text, LIMITS.footer) };
    if (c.author) c.author = { ...c.author, name: truncate(c.author.name, LIMITS.authorName) };
    if (c.fields) {
      c.fields = c.fields.slice(0, LIMITS.fields).map((f) => ({
        ...f,
        name: truncate(f.name, LIMITS.fieldName) || ZWSP,
        value: truncate(f.value, LIMITS.fieldValue) || ZWSP,
      }));
    }
    return c;
  });
  // Trim the longest text part until the total fits (descriptions and values first: they are the longest).
  for (let guard = 0; guard < 1000; guard++) {
    const excess = totalEmbedLength(out) - LIMITS.embedsTotal;
    if (excess <= 0) break;
    let longest: { length: number; set: (v: string) => void; get: () => string } | undefined;
    const consider = (get: () => string, set: (v: string) => void) => {
      const length = get().length;
      if (length > (longest?.length ?? 0)) longest = { length, get, set };
    };
    for (const e of out) {
      if (e.description !== undefined) consider(() => e.description ?? '', (v) => (e.description = v));
      if (e.title !== undefined) consider(() => e.title ?? '', (v) => (e.title = v));
      const footer = e.footer;
      if (footer) consider(() => footer.text, (v) => (footer.text = v));
      const author = e.author;
      if (author) consider(() => author.name, (v) => (author.name = v));
      for (const f of e.fields ?? []) {
        consider(() => f.value, (v) => (f.value = v));
        consider(() => f.name, (v) => (f.name = v));
      }
    }
    if (!longest || longest.length <= 1) {
      out.pop();
      continue;
    }
    longest.set(truncate(longest.get(), Math.max(1, longest.length - excess)));
  }
  return out;
}

export function reply(parts: Partial<Omit<Reply, 'allowedMentions'>>): Reply {
  const r: Reply = { embeds: fitEmbeds(parts.embeds ?? []), allowedMentions: NO_MENTIONS };
  if (parts.content !== undefined) r.content = truncate(parts.content, LIMITS.content);
  if (parts.components !== undefined) r.components = parts.components;
  return r;
}

/** A plain-text notice (errors, refusals, cooldowns). */
export function notice(text: string): Reply {
  return reply({ content: text });
}

// ---------------------------------------------------------------------------------------------
// /ask and mentions
// ---------------------------------------------------------------------------------------------

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
  const perHit = Math.floor((LIMITS.embedDescription - separator.length * (hits.length - 1)) / hits.length);
  const description = hits.map((h) => truncate(renderHit(h, perHit), perHit)).join(separator);
  const footerParts = [`${plural(hits.length, 'best-matching sentence')}`];
  if (ctx.sourceTitle !== undefined) footerParts.push(`from ${truncate(ctx.sourceTitle.replace(/\s+/g, ' '), 150)}`);
  else if (ctx.sources !== undefined) footerParts.push(`from ${plural(ctx.sources, 'loaded article')}`);
  footerParts.push('/sources lists them');
  return reply({
    embeds: [
      {
        title: truncate(`Q: ${question}`, LIMITS.embedTitle),
        description,
        color: COLORS.answer,
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
          `${scope} answer “${clip(answer.question, 400)}”.`,
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

export function formatUnknownSource(source: string, suggestions: readonly SourceInfo[] = []): Reply {
  const lines = [`No source named ${code(truncate(source, 100))} is loaded.`];
  if (suggestions.length > 0) {
    lines.push(`Did you mean: ${suggestions.slice(0, 3).map((s) => `${clip(s.title, 80)} (${code(truncate(s.id, 100))})`).join(', ')}?`);
  }
  lines.push('Use `/sources` to see the loaded articles, or pick one from the suggestions when typing `source:`.');
  return notice(lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// /summary
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// /sources (paged, with buttons)
// ---------------------------------------------------------------------------------------------

export const SOURCES_PER_PAGE = 15;
export const SOURCES_BUTTON_PREFIX = 'sources:page:';

function sourceLine(s: SourceInfo): string {
  return `**${titleLink(s.title || s.id, s.url, 180)}**\n${code(truncate(s.id, 100))} · ${plural(s.sentences, 'sentence')} · loaded ${relativeTime(s.loadedAt)}`;
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
  const pages = paginate(sources.map(sourceLine));
  const pageIndex = Math.min(Math.max(0, Math.trunc(requestedPage)), pages.length - 1);
  const sentences = sources.reduce((n, s) => n + s.sentences, 0);
  const footer = [`${plural(sources.length, 'article')}`, `${plural(sentences, 'sentence')}`];
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

// ---------------------------------------------------------------------------------------------
// /reload
// ---------------------------------------------------------------------------------------------

export function formatReload(report: ReloadReport): Reply {
  const { before, after } = report;
  const lines: string[] = [];
  if (report.ok) {
    lines.push(
      `Articles: ${before.sources} → ${after.sources}`,
      `Sentences: ${before.sentences} → ${after.sentences}`,
      `Took ${(report.durationMs / 1000).toFixed(1)} s.`,
    );
  } else {
    lines.push(
      `The previous index is still serving: ${plural(before.sources, 'article')}, ${plural(before.sentences, 'sentence')}.`,
      `What failed: ${clip(report.error ?? 'unknown error', 1000)}`,
    );
  }
  if (report.skipped.length > 0) {
    lines.push('', `Skipped ${plural(report.skipped.length, 'file')}:`);
    const head = lines.join('\n');
    const room = LIMITS.embedDescription - head.length - 40; // keep space for the "...and N more" line
    const items: string[] = [];
    let used = 0;
    for (const s of report.skipped) {
      const item = `• ${code(truncate(s.file, 120))} — ${clip(s.reason, 300)}`;
      if (used + item.length + 1 > room) break;
      items.push(item);
      used += item.length + 1;
    }
    lines.push(...items);
    const more = report.skipped.length - items.length;
    if (more > 0) lines.push(`…and ${more} more.`);
  }
  return reply({
    embeds: [
      {
        title: report.ok ? 'Reloaded the articles' : 'Reload failed — nothing changed',
        description: lines.join('\n'),
        color: report.ok ? COLORS.ok : COLORS.error,
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// /help
// ---------------------------------------------------------------------------------------------

export function formatHelp(botMention?: string): Reply {
  const mention = botMention ?? '@Article Q&A bot';
  return reply({
    embeds: [
      {
        title: 'Article Q&A bot',
        description: [
          'I answer questions about a set of news articles by quoting their best-matching sentences, with the article title, a link and where the sentence sits in it. I never make things up: when the articles do not answer, I say so.',
          '',
          '**Commands**',
          '`/ask question:` — ask a question. Optional `source:` limits it to one article (start typing for suggestions); `results:` (1–5) sets how many sentences to show.',
          '`/summary` — the key sentences of each article, or of one with `source:`; `sentences:` (1–10) sets how many.',
          '`/sources` — the loaded articles, their sentence counts and when they were loaded.',
          '`/reload` — re-read the article files (moderators: Manage Server permission or a moderator role).',
          '`/source add url:` or `file:` — add an article from a web page or a .txt, .md or .html file; `/source remove source:` takes one out (moderators).',
          '`/help` — this message.',
          '',
          '**Mentions**',
          `Mention me with a question, e.g. \`${mention} who wrote the letter?\`, and I reply to your message with the same answer as \`/ask\`.`,
        ].join('\n'),
        color: COLORS.answer,
      },
    ],
  });
}

