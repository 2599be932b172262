/**
 * The file the bot saves for an article a moderator adds: Markdown with front matter. Whatever came
 * in (plain prose, a Markdown file, an HTML page) is written so the loader reads back the same words.
 */
import { splitBlocks } from '../text/sentences';
import type { SourceFormat } from './formats/detect';
import { extractHtmlArticle } from './formats/html';
import type { NewSource, SourceMetadata } from './library-types';
import { splitFrontMatter } from './parse';

/** Saved articles are always Markdown, so one loader path reads every file the bot writes. */
export const SAVED_EXTENSION = '.md';
export const SAVED_FORMAT: SourceFormat = 'markdown';

const FRONT_MATTER_KEYS = ['title', 'url', 'author', 'published', 'fetched', 'uploaded'] as const;
const MAX_VALUE_LENGTH = 500;

export interface ArticleFile {
  /** The whole file: front matter, blank line, Markdown body. */
  content: string;
  metadata: SourceMetadata;
}

/** Builds the saved file for a new source. Throws SourceFormatError when an HTML page has no article text. */
export function articleFile(source: Pick<NewSource, 'text' | 'format' | 'metadata'>): ArticleFile {
  const given = definedOnly(source.metadata ?? {});
  const { body, metadata } = markdownBody(source.text, source.format, given.url);
  const merged = { ...metadata, ...given };
  return { content: `${frontMatter(merged)}\n${body.trim()}\n`, metadata: merged };
}

function markdownBody(text: string, format: SourceFormat, pageUrl: string | undefined): { body: string; metadata: SourceMetadata } {
  if (format === 'html') {
    const { text: prose, ...metadata } = extractHtmlArticle(text, pageUrl);
    return { body: plainTextToMarkdown(prose), metadata: definedOnly(metadata) };
  }
  // The file's own front matter is kept (under what the bot knows) and rewritten in one block.
  const { metadata, body } = splitFrontMatter(text);
  return { body: format === 'markdown' ? body : plainTextToMarkdown(body), metadata };
}

/** `key: "value"` lines between `---` fences; values on one line, so no value can end the block early. */
export function frontMatter(metadata: SourceMetadata): string {
  const lines = ['---'];
  for (const key of FRONT_MATTER_KEYS) {
    const value = metadata[key] === undefined ? '' : oneLine(metadata[key]);
    // Quoted, so a value with a colon or quotes of its own reads back exactly.
    if (value !== '') lines.push(`${key}: "${value}"`);
  }
  lines.push('---');
  return `${lines.join('\n')}\n`;
}

function oneLine(value: string): string {
  return value
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_VALUE_LENGTH);
}

function definedOnly(metadata: SourceMetadata): SourceMetadata {
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => typeof value === 'string' && value.trim() !== ''));
}

/**
 * Plain prose as Markdown that markdownToText turns back into the same words: one paragraph per text
 * block (as the plain-text loader splits them), with everything Markdown would act on escaped.
 */
export function plainTextToMarkdown(text: string): string {
  return splitBlocks(text).flat().map(escapeMarkdownLine).join('\n\n');
}

function escapeMarkdownLine(line: string): string {
  const inline = line
    // Entities rather than backslashes: HTML comments and <script> are removed before escapes are read.
    .replace(/[&<]/g, (char) => (char === '&' ? '&amp;' : '&lt;'))
    .replace(/[\\`*_[\]>|~]/g, '\\$&');
  // Line starts that would make a heading, list item, setext underline or rule.
  return inline.replace(/^([#=+-])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}
