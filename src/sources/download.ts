/**
 * Downloads an uploaded file's bytes (a Discord attachment) with the same guards as fetchArticle:
 * public addresses only (checked on the URL and on the address connected to), a deadline, a size
 * cap and few redirects. Unlike fetchArticle it extracts nothing: the bytes are read like a file on disk.
 */
import type { IncomingMessage } from 'node:http';
import { builtin } from '../runtime-files';
import { checkRedirect, checkStartUrl, DEFAULT_USER_AGENT, FetchError } from './fetch-article';
import { formatBytes } from './formats/size';
import { createGuardedLookup, UnsafeUrlError } from './url-safety';

export interface DownloadOptions {
  allowPrivate?: boolean;
  /** For the whole download, redirects included. Default 15 s. */
  timeoutMs?: number;
  maxBytes: number;
  /** Default 3. */
  maxRedirects?: number;
}

type Hop = { redirect: string } | { body: Buffer };

export async function downloadFile(input: string, options: DownloadOptions): Promise<Buffer> {
  const allowPrivate = options.allowPrivate ?? false;
  const deadline = new AbortController();
  const timeoutMs = options.timeoutMs ?? 15_000;
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  try {
    let url = checkStartUrl(input, { allowPrivate });
    for (let hop = 0; ; hop++) {
      const result = await requestOnce(url, { ...options, allowPrivate }, deadline.signal, timeoutMs);
      if ('body' in result) return result.body;
      if (hop >= (options.maxRedirects ?? 3)) throw new FetchError('the file download redirected too many times');
      url = checkRedirect(url, result.redirect, { allowPrivate });
    }
  } finally {
    clearTimeout(timer);
  }
}

function requestOnce(url: URL, options: DownloadOptions & { allowPrivate: boolean }, signal: AbortSignal, timeoutMs: number): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const timedOut = (): FetchError => new FetchError(`the file download timed out after ${Math.round(timeoutMs / 1000)} s`);
    if (signal.aborted) return reject(timedOut());
    const transport = url.protocol === 'https:' ? builtin('node:https') : builtin('node:http');
    const request = transport.request(url, {
      headers: { 'User-Agent': DEFAULT_USER_AGENT, 'Accept-Encoding': 'identity' },
      agent: false,
      lookup: createGuardedLookup({ allowPrivate: options.allowPrivate }),
    });
    const onAbort = (): void => {
      reject(timedOut());
      request.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('close', () => signal.removeEventListener('abort', onAbort));
    request.on('error', (error) => reject(error instanceof FetchError ? error : new FetchError(downloadFailure(error), { cause: error })));
    request.on('response', (response) => {
      readResponse(response, options.maxBytes).then(resolve, (error: unknown) => {
        request.destroy();
        reject(error);
      });
    });
    request.end();
  });
}

async function readResponse(response: IncomingMessage, maxBytes: number): Promise<Hop> {
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (status >= 300 && status < 400 && location) {
    response.resume();
    return { redirect: location };
  }
  if (status < 200 || status > 299) throw new FetchError(`the file server answered ${status}`);
  if (Number(response.headers['content-length']) > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  if (!response.complete) throw new FetchError('the connection closed before the file was complete');
  return { body: Buffer.concat(chunks) };
}

function downloadFailure(error: NodeJS.ErrnoException): string {
  if (error instanceof UnsafeUrlError) return error.reason;
  return `could not download the file (${error.code ?? error.message})`;
}

function tooLarge(maxBytes: number): FetchError {
  return new FetchError(`the file is larger than ${formatBytes(maxBytes)} (MAX_SOURCE_BYTES)`);
}
