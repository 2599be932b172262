import type { SourceDocument } from '../engine/types';
import { isChrome } from '../text/chrome';
import { splitSentences } from '../text/sentences';

export interface ArticleMetadata {
  title?: string;
  url?: string;
  author?: string;
  published?: string;
}

const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n---[ \t]*(?:\n|$)/;
const METADATA_KEYS = ['title', 'url', 'author', 'published'] as const;
const TITLE_LENGTH = 80;

/**
 * Splits `key: value` front matter off an article. Only the keys we use are read; values may be
 * quoted. Anything that is not front matter is left in the body untouched.
 */
export function splitFrontMatter(raw: string): { metadata: ArticleMetadata; body: string } {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const match = FRONT_MATTER.exec(text);
  if (match === null) return { metadata: {}, body: text };
  const metadata: ArticleMetadata = {};
  for (const line of (match[1] ?? '').split('\n')) {
    const field = /^([A-Za-z_]+)\s*:\s*(.*)$/.exec(line.trim());
    const key = field?.[1]?.toLowerCase();
    const value = unquote(field?.[2] ?? '');
    if (value !== '' && METADATA_KEYS.includes(key as (typeof METADATA_KEYS)[number])) {
      metadata[key as (typeof METADATA_KEYS)[number]] = value;
    }
  }
  return { metadata, body: text.slice(match[0].length) };
}

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = /^(["'])(.*)\1$/.exec(trimmed);
  return quoted ? (quoted[2] ?? '') : trimmed;
}

/** A short title from the first sentence, cut at a word: used when an article names no title. */
export function titleFromSentence(sentence: string): string {
  if (sentence.length <= TITLE_LENGTH) return sentence.replace(/[.!?]+$/, '');
  // Never end on the first half of a surrogate pair: "…🎉" must not become a lone surrogate that
  // Discord shows as garbage (tests/sources/bad-files.test.ts).
  const cut = sentence.slice(0, TITLE_LENGTH).replace(/[\ud800-\udbff]$/, '');
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > 40 ? cut.slice(0, lastSpace) : cut).replace(/[,;:]$/, '')}…`;
}

/**
 * Turns an article's plain text (front matter optional) into a document: sentences in order,
 * paragraph numbers, page chrome dropped, metadata from front matter or `metadata` (front matter wins).
 */
export function parseArticle(id: string, raw: string, metadata: ArticleMetadata = {}): SourceDocument {
  const { metadata: frontMatter, body } = splitFrontMatter(raw);
  const meta = { ...metadata, ...frontMatter };
  const kept = splitSentences(body).filter((sentence) => !isChrome(sentence.text));
  // A first sentence of only punctuation or invisible characters ("...", "!?", a zero-width space) makes
  // an empty or invisible title; the file name is better (tests/sources/bad-files.test.ts).
  const derived = titleFromSentence(kept[0]?.text ?? id);
  const document: SourceDocument = {
    id,
    title: meta.title ?? (/[\p{L}\p{N}\p{S}]/u.test(derived) ? derived : id),
    sentences: kept.map((sentence) => sentence.text),
    paragraphs: kept.map((sentence) => sentence.paragraph),
  };
  if (meta.url !== undefined) document.url = meta.url;
  if (meta.author !== undefined) document.author = meta.author;
  if (meta.published !== undefined) document.published = meta.published;
  return document;
}
