/**
 * Turns a web page address or an uploaded file into a new source for the library (what `/source add url:|file:`
 * asks for), with every download guarded: size limit, deadline, no private addresses unless allowed.
 */
import { downloadFile } from './download';
import { fetchArticle } from './fetch-article';
import { decodeSourceBytes, formatOf } from './formats/detect';
import { SourceFormatError } from './formats/errors';
import { overLimitReason } from './formats/size';
import type { NewSource, UploadedFile } from './library-types';
import { DEFAULT_MAX_SOURCE_BYTES } from './loader';

/** A news site can be slow; Discord lets a deferred reply take up to 15 minutes. */
const FETCH_TIMEOUT_MS = 15_000;

export interface SourceSettings {
  /** May fetch from loopback and private addresses (default false). */
  allowPrivateUrls?: boolean;
  /** Largest page or file, in bytes (default the loader's). */
  maxSourceBytes?: number;
}
export type SourceToAdd = Omit<NewSource, 'addedBy'>;

/** What a moderator typed, as a URL: "example.com/story" gets https:// in front. */
export function articleUrl(input: string): string {
  const trimmed = input.trim();
  return /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

export async function sourceFromUrl(input: string, settings: SourceSettings, now = new Date()): Promise<SourceToAdd> {
  const article = await fetchArticle(articleUrl(input), {
    allowPrivate: settings.allowPrivateUrls ?? false,
    timeoutMs: FETCH_TIMEOUT_MS,
    maxBytes: maxBytes(settings),
  });
  return {
    // Already extracted from the page (or the page was plain text): prose either way.
    text: article.text,
    format: 'text',
    metadata: {
      title: article.title,
      author: article.author,
      published: article.published,
      url: articleAddress(article.url, article.finalUrl),
      fetched: now.toISOString(),
    },
    // Only the address actually fetched decides which article this replaces, never what the page says.
    fetchedUrl: article.finalUrl,
  };
}

/**
 * The url an added page is kept under: the address it was fetched from (after redirects), or the page's
 * own canonical (or og:url) when that is on the same site. A page cannot make later answers link to
 * another site, or claim another site's article (issue 15).
 */
export function articleAddress(claimed: string | undefined, fetched: string): string {
  if (claimed === undefined) return fetched;
  try {
    const own = new URL(claimed);
    const from = new URL(fetched);
    const site = (url: URL): string => url.hostname.toLowerCase().replace(/^www\./, '');
    const sameSite = site(own) === site(from) && (own.protocol === 'https:' || own.protocol === from.protocol);
    return sameSite && own.username === '' && own.password === '' ? own.href : fetched;
  } catch {
    return fetched;
  }
}

/** Why an uploaded file is refused before downloading it, or undefined when it may be downloaded. */
export function uploadProblem(file: UploadedFile, settings: SourceSettings): string | undefined {
  if (formatOf(file.name) === undefined) return `${file.name} is not a .txt, .md or .html file`;
  const limit = maxBytes(settings);
  if (file.size > limit) return `${file.name}: ${overLimitReason(file.size, limit)}`;
  return undefined;
}

/** Downloads an upload and reads it as a file on disk would be read (UTF-8, text, size limit). */
export async function sourceFromUpload(file: UploadedFile, settings: SourceSettings, now = new Date()): Promise<SourceToAdd> {
  const format = formatOf(file.name);
  if (format === undefined) throw new SourceFormatError('not a .txt, .md or .html file', file.name);
  const limit = maxBytes(settings);
  const bytes = await downloadFile(file.url, { allowPrivate: settings.allowPrivateUrls ?? false, timeoutMs: FETCH_TIMEOUT_MS, maxBytes: limit });
  return {
    text: decodeSourceBytes(bytes, file.name, limit),
    format,
    fileName: file.name,
    metadata: { uploaded: now.toISOString() },
  };
}

function maxBytes(settings: SourceSettings): number {
  return settings.maxSourceBytes ?? DEFAULT_MAX_SOURCE_BYTES;
}
