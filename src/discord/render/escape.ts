/**
 * Makes untrusted text (article sentences, titles, echoed questions, file names, error reasons) safe to show
 * in Discord: shortened within a limit, one line, no markdown, no links, no mentions.
 */
import { escapeMarkdown } from 'discord.js';

export const ELLIPSIS = '…';
export const ZWSP = '\u200b';

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

/**
 * Breaks every `scheme://` so Discord neither links nor unfurls it (masked links included). Every `://`
 * is broken, whatever stands before it: a `\b` before the scheme missed a URL glued to a digit or an
 * underscore (`1https://evil.example/x`), which Discord still links (issue 15).
 */
export function neutraliseLinks(text: string): string {
  return text.replace(/:\/\//g, `:${ZWSP}//`);
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
  // `https://discord.com@evil.example/` reads as discord.com but leads to evil.example: never a link.
  if (parsed.username !== '' || parsed.password !== '') return undefined;
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
