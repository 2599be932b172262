/** Turns the `url:` or `file:` of `/source add` into a new source for the library, with every download guarded. */
import type { Config } from '../config';
import { downloadFile } from '../sources/download';
import { fetchArticle, FetchError } from '../sources/fetch-article';
import { decodeSourceBytes, formatOf } from '../sources/formats/detect';
import { SourceFormatError } from '../sources/formats/errors';
import { overLimitReason } from '../sources/formats/size';
import type { NewSource } from '../sources/library-types';
import { DEFAULT_MAX_SOURCE_BYTES } from '../sources/loader';
import { SourceChangeError } from '../sources/source-store';

/** A news site can be slow; Discord lets a deferred reply take up to 15 minutes. */
const FETCH_TIMEOUT_MS = 15_000;

export type SourceSettings = Pick<Config, 'allowPrivateUrls' | 'maxSourceBytes'>;
export type SourceToAdd = Omit<NewSource, 'addedBy'>;

/** The parts of a Discord attachment used here. */
export interface UploadedFile {
  name: string;
  url: string;
  size: number;
}

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
      url: article.url ?? article.finalUrl,
      fetched: now.toISOString(),
    },
  };
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

/** The reason to show a moderator when adding failed because of the page, the file or the folder; undefined for bugs. */
export function problemReason(error: unknown): string | undefined {
  if (error instanceof FetchError || error instanceof SourceFormatError || error instanceof SourceChangeError) return error.reason;
  return undefined;
}

function maxBytes(settings: SourceSettings): number {
  return settings.maxSourceBytes ?? DEFAULT_MAX_SOURCE_BYTES;
}
