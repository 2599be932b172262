/**
 * Downloads one article page for a moderator. Uses node:http/https rather than fetch so the
 * guarded DNS lookup decides which address the socket connects to, hop by hop.
 */
import type { IncomingMessage } from 'node:http';
import { builtin } from '../runtime-files';
import { decodeWithCharset } from './formats/charset';
import { SourceFormatError } from './formats/errors';
import type { ExtractedArticle } from './formats/html';
import { formatBytes } from './formats/size';
import { readHtmlPage } from './read-budget';
import { assertPublicUrl, createGuardedLookup, UnsafeUrlError, type LookupFunction } from './url-safety';

export const DEFAULT_USER_AGENT = 'ArticleQABot/0.1 (+https://github.com/article-qa-bot)';

export interface FetchArticleOptions {
  /** Allow loopback and private addresses. Off by default: the bot must not be a way into its own network. */
  allowPrivate?: boolean;
  /** For the whole fetch, redirects included. Default 10 s. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes. Default 2 MB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  userAgent?: string;
  /**
   * Replaces the guarded DNS lookup. Only for tests that need a made-up host name to reach a
   * local server; the per-hop URL checks still apply.
   */
  lookup?: LookupFunction;
}

export interface FetchedArticle extends ExtractedArticle {
  /** Where the page was finally fetched from, after redirects. */
  finalUrl: string;
  /** The media type without parameters, e.g. "text/html". */
  contentType: string;
}

/** A page that could not be fetched; `reason` is written for users. */
export class FetchError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'FetchError';
  }
}

const DEFAULTS = {
  timeoutMs: 10_000,
  maxBytes: 2 * 1024 * 1024,
  maxRedirects: 5,
};

const ACCEPTED_TYPES = new Set(['text/html', 'application/xhtml+xml', 'text/plain']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

interface Settings {
  allowPrivate: boolean;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  lookup: LookupFunction;
}

interface Redirect {
  kind: 'redirect';
  location: string;
}

interface Page {
  kind: 'page';
  url: URL;
  contentType: ContentType;
  body: Buffer;
}

interface ContentType {
  mediaType: string;
  charset?: string;
}

export async function fetchArticle(input: string | URL, options: FetchArticleOptions = {}): Promise<FetchedArticle> {
  const settings = resolveSettings(options);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), settings.timeoutMs);
  try {
    return await toArticle(await followRedirects(input, settings, deadline.signal));
  } finally {
    clearTimeout(timer);
  }
}

function resolveSettings(options: FetchArticleOptions): Settings {
  const allowPrivate = options.allowPrivate ?? false;
  return {
    allowPrivate,
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    maxBytes: options.maxBytes ?? DEFAULTS.maxBytes,
    maxRedirects: options.maxRedirects ?? DEFAULTS.maxRedirects,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    lookup: options.lookup ?? createGuardedLookup({ allowPrivate }),
  };
}

async function followRedirects(input: string | URL, settings: Settings, signal: AbortSignal): Promise<Page> {
  let url = checkStartUrl(input, settings);
  for (let hop = 0; ; hop++) {
    const response = await requestOnce(url, hop, settings, signal);
    if (response.kind === 'page') return response;
    if (hop >= settings.maxRedirects) {
      throw new FetchError(`the page redirected more than ${settings.maxRedirects} times`);
    }
    url = checkRedirect(url, response.location, settings);
  }
}

/** The check the first URL gets (assertPublicUrl), its refusal as a FetchError. */
export function checkStartUrl(input: string | URL, options: { allowPrivate: boolean }): URL {
  try {
    return assertPublicUrl(input, { allowPrivate: options.allowPrivate });
  } catch (error) {
    if (error instanceof UnsafeUrlError) throw new FetchError(error.reason, { cause: error });
    throw error;
  }
}

/**
 * The check each redirect gets before it is followed: a valid http(s) URL without
 * credentials and, unless allowed, not a private address literal. Host names are
 * checked again by the guarded lookup when connecting.
 */
export function checkRedirect(from: URL, location: string, options: { allowPrivate?: boolean } = {}): URL {
  let target: URL;
  try {
    target = new URL(location, from);
  } catch (error) {
    throw new FetchError('the server redirected to an invalid URL', { cause: error });
  }
  try {
    return assertPublicUrl(target, { allowPrivate: options.allowPrivate ?? false });
  } catch (error) {
    if (error instanceof UnsafeUrlError) {
      throw new FetchError(`redirected to ${error.refused}, which is not allowed`, { cause: error });
    }
    throw error;
  }
}

function requestOnce(url: URL, hop: number, settings: Settings, signal: AbortSignal): Promise<Redirect | Page> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(timedOut(settings.timeoutMs));
      return;
    }
    // Loaded on the first fetch: a start that fetches nothing does not pay for them.
    const transport = url.protocol === 'https:' ? builtin('node:https') : builtin('node:http');
    const request = transport.request(url, {
      method: 'GET',
      headers: {
        'User-Agent': settings.userAgent,
        Accept: 'text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8',
        'Accept-Encoding': 'identity',
      },
      // A fresh connection per request: no pooled socket outlives the checks made for it.
      agent: false,
      lookup: settings.lookup,
    });
    const onAbort = (): void => {
      reject(timedOut(settings.timeoutMs));
      request.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('close', () => signal.removeEventListener('abort', onAbort));
    request.on('error', (error) => reject(connectionError(error, url, hop)));
    request.on('response', (response) => {
      handleResponse(response, url, settings).then(resolve, (error: unknown) => {
        request.destroy();
        reject(error);
      });
    });
    request.end();
  });
}

async function handleResponse(response: IncomingMessage, url: URL, settings: Settings): Promise<Redirect | Page> {
  const status = response.statusCode ?? 0;
  if (REDIRECT_STATUSES.has(status)) {
    const location = response.headers.location;
    if (!location) throw new FetchError(`the server answered ${status} without saying where to go`);
    response.destroy();
    return { kind: 'redirect', location };
  }
  if (status < 200 || status > 299) throw new FetchError(`the server answered ${status}`);

  const contentType = parseContentType(response.headers['content-type']);
  if (!contentType) throw new FetchError('the server did not say what type of content the page is');
  if (!ACCEPTED_TYPES.has(contentType.mediaType)) {
    throw new FetchError(`content type ${contentType.mediaType} is not an article`);
  }
  const encoding = response.headers['content-encoding'];
  if (encoding && encoding !== 'identity') {
    throw new FetchError(`the server sent compressed content (${encoding}) although none was asked for`);
  }
  const declaredLength = Number(response.headers['content-length']);
  if (declaredLength > settings.maxBytes) throw tooLarge(settings.maxBytes);

  return { kind: 'page', url, contentType, body: await readBody(response, settings.maxBytes) };
}

/** Reads at most `maxBytes`, stopping the download as soon as the page proves larger. */
function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let ended = false;
    response.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        reject(tooLarge(maxBytes));
        response.destroy();
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks));
    });
    response.on('error', (error) => reject(new FetchError('the connection failed while reading the page', { cause: error })));
    response.on('close', () => {
      if (!ended) reject(new FetchError('the connection closed before the page was complete'));
    });
  });
}

function parseContentType(header: string | undefined): ContentType | undefined {
  const [mediaType = '', ...parameters] = (header ?? '').split(';').map((part) => part.trim());
  if (!mediaType) return undefined;
  const charset = parameters
    .map((parameter) => /^charset\s*=\s*"?([^";\s]+)"?$/i.exec(parameter)?.[1])
    .find((value) => value !== undefined);
  return { mediaType: mediaType.toLowerCase(), charset: charset?.toLowerCase() };
}

async function toArticle(page: Page): Promise<FetchedArticle> {
  const text = decodeBody(page);
  const base = { finalUrl: page.url.href, contentType: page.contentType.mediaType };
  if (page.contentType.mediaType === 'text/plain') {
    const plain = text.replace(/\r\n?/g, '\n').trim();
    if (!plain) throw new FetchError('the page is empty');
    return { ...base, url: page.url.href, text: plain };
  }
  try {
    // A large page is read on a worker within the time budget (read-budget.ts).
    return { ...base, ...(await readHtmlPage(text, page.url.href)) };
  } catch (error) {
    if (error instanceof SourceFormatError) throw new FetchError(error.reason, { cause: error });
    throw error;
  }
}

function decodeBody(page: Page): string {
  const { mediaType, charset: declared } = page.contentType;
  const charset = declared ?? (mediaType === 'text/plain' ? undefined : sniffHtmlCharset(page.body));
  try {
    // Labels follow the WHATWG Encoding standard, so "iso-8859-1" decodes as windows-1252, as browsers do.
    return decodeWithCharset(page.body, charset ?? 'utf-8');
  } catch (error) {
    throw new FetchError(`the page uses an unsupported character set (${charset})`, { cause: error });
  }
}

/** `<meta charset>` or its http-equiv form, looked for where browsers look: the first 1024 bytes. */
function sniffHtmlCharset(body: Buffer): string | undefined {
  const head = body.subarray(0, 1024).toString('latin1');
  const match = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  return match?.[1]?.toLowerCase();
}

function connectionError(error: NodeJS.ErrnoException, url: URL, hop: number): FetchError {
  if (error instanceof UnsafeUrlError) {
    const reason = hop > 0 ? `redirected to ${error.refused}, which is not allowed` : error.reason;
    return new FetchError(reason, { cause: error });
  }
  const host = url.hostname;
  const reasons: Record<string, string> = {
    ENOTFOUND: `could not find the server ${host}`,
    EAI_AGAIN: `could not find the server ${host}`,
    ECONNREFUSED: `${host} refused the connection`,
    ECONNRESET: `the connection to ${host} was reset`,
    EHOSTUNREACH: `${host} cannot be reached`,
    ENETUNREACH: `${host} cannot be reached`,
  };
  const code = error.code ?? '';
  const fallback = /CERT|SSL|TLS|SELF_SIGNED/.test(code)
    ? `${host} has an invalid TLS certificate`
    : `could not fetch the page (${code || error.message})`;
  return new FetchError(reasons[code] ?? fallback, { cause: error });
}

function timedOut(timeoutMs: number): FetchError {
  const shown = timeoutMs >= 1000 ? `${Number((timeoutMs / 1000).toFixed(1))} s` : `${timeoutMs} ms`;
  return new FetchError(`timed out after ${shown}`);
}

function tooLarge(maxBytes: number): FetchError {
  return new FetchError(`the page is larger than ${formatBytes(maxBytes)}`);
}
