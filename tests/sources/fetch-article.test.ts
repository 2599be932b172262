import { lookup as systemLookup } from 'node:dns';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkRedirect, DEFAULT_USER_AGENT, fetchArticle, FetchError, type FetchArticleOptions } from '../../src/sources/fetch-article';
import { createGuardedLookup, type LookupFunction } from '../../src/sources/url-safety';

// ---------------------------------------------------------------- a local news site

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/pages/${name}`, import.meta.url), 'utf8');
const HARBOR = fixture('harbor-council-budget.html');
const CAFE = fixture('cafe-owners-protest.html');

/** Encodes text as windows-1252, the way an old CMS would serve it; only the characters the fixture uses. */
function windows1252(text: string): Buffer {
  const punctuation: Record<string, number> = { '€': 0x80, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };
  return Buffer.from(
    Array.from(text, (char) => {
      const code = char.codePointAt(0) ?? 0;
      const byte = punctuation[char] ?? (code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : undefined);
      if (byte === undefined) throw new Error(`no windows-1252 byte for ${char}`);
      return byte;
    }),
  );
}

interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

const seen: SeenRequest[] = [];
const stalled: ServerResponse[] = [];
let streamAborted = false;
let streamedBytes = 0;
let server: Server;
let base: string;
let port: number;

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const send =
  (status: number, headers: Record<string, string | number>, body: string | Buffer = ''): Handler =>
  (_request, response) => {
    response.writeHead(status, headers);
    response.end(body);
  };

const redirect = (location: string, status = 302): Handler => send(status, { Location: location });
const html = (body: string | Buffer, contentType = 'text/html; charset=utf-8'): Handler => send(200, { 'Content-Type': contentType }, body);

const routes: Record<string, Handler> = {
  '/harbor': html(HARBOR),
  '/xhtml': html(HARBOR, 'application/xhtml+xml'),
  '/plain': send(200, { 'Content-Type': 'text/plain' }, 'Line one.\r\nLine two.\r\n'),
  '/empty-plain': send(200, { 'Content-Type': 'text/plain; charset=utf-8' }, ' \n'),
  '/chrome-only': html('<nav><a href="/">Home</a></nav><p>Advertisement</p>'),
  '/cafe-1252': html(windows1252(CAFE), 'text/html; charset=windows-1252'),
  '/cafe-1252-meta-only': html(windows1252(CAFE), 'text/html'),
  '/cafe-latin1-label': html(windows1252(CAFE), 'text/html; charset="ISO-8859-1"'),
  '/utf8-undeclared': html('<p>Jürgen Weiß opened the café in 2013 and still runs it today.</p>', 'text/html'),
  '/odd-charset': html('<p>text</p>', 'text/html; charset=x-made-up'),
  '/image': send(200, { 'Content-Type': 'image/png' }, Buffer.from([0x89, 0x50, 0x4e, 0x47])),
  '/json': send(200, { 'Content-Type': 'application/json' }, '{}'),
  '/untyped': (_request, response) => response.end('<p>no content type</p>'),
  '/gzip': send(200, { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip' }, Buffer.from([0x1f, 0x8b])),
  '/missing': send(404, { 'Content-Type': 'text/html' }, '<h1>Not found</h1>'),
  '/broken': send(500, { 'Content-Type': 'text/html' }, '<h1>Oops</h1>'),
  '/hang': (_request, response) => stalled.push(response),
  '/stall-body': (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.write('<html><body><p>The first part of the page arrives, and then');
    stalled.push(response);
  },
  '/declared-huge': (_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': 50 * 1024 * 1024 });
    response.write('<p>');
    stalled.push(response);
  },
  '/endless': (_request, response) => {
    // No Content-Length: only counting the streamed bytes can catch this one.
    response.writeHead(200, { 'Content-Type': 'text/html' });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    response.on('close', () => {
      if (!response.writableFinished) streamAborted = true;
    });
    const pump = (): void => {
      while (streamedBytes < 64 * 1024 * 1024 && !response.destroyed) {
        streamedBytes += chunk.length;
        if (!response.write(chunk)) {
          response.once('drain', pump);
          return;
        }
      }
      response.end();
    };
    pump();
  },
  '/cookie-redirect': send(302, { Location: '/headers', 'Set-Cookie': 'session=abc123; Path=/' }),
  '/headers': html(HARBOR),
  '/relative-redirect': redirect('../harbor', 301),
  '/no-location': send(302, {}),
  '/loop': redirect('/loop'),
  '/to-private': (_request, response) => redirect(`http://127.0.0.1:${port}/secret`)(_request, response),
  '/to-metadata': redirect('http://169.254.169.254/latest/meta-data/'),
  '/to-file': redirect('file:///etc/passwd'),
  '/to-internal-name': (_request, response) => redirect(`http://internal.test:${port}/secret`)(_request, response),
  '/secret': html('<p>Internal admin page that must never be fetched by the bot.</p>'),
};

function route(request: IncomingMessage, response: ServerResponse): void {
  const path = request.url ?? '/';
  seen.push({ path, headers: request.headers });
  const chain = /^\/chain\/(\d+)$/.exec(path);
  if (chain) {
    const left = Number(chain[1]);
    redirect(left === 0 ? '/harbor' : `/chain/${left - 1}`, 307)(request, response);
    return;
  }
  const slow = /^\/slow-chain\/(\d+)$/.exec(path);
  if (slow) {
    const left = Number(slow[1]);
    setTimeout(() => redirect(left === 0 ? '/harbor' : `/slow-chain/${left - 1}`)(request, response), 150);
    return;
  }
  (routes[path] ?? send(404, { 'Content-Type': 'text/plain' }, 'no route'))(request, response);
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const response of stalled) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The test server is on 127.0.0.1, so most tests must allow private addresses to reach it at all. */
const local: FetchArticleOptions = { allowPrivate: true };

async function failure(url: string, options: FetchArticleOptions = local): Promise<string> {
  const error: unknown = await fetchArticle(url, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FetchError);
  return (error as FetchError).reason;
}

const requested = (path: string): boolean => seen.some((request) => request.path === path);

/** Resolves the given names to 127.0.0.1 without any check, so a test can reach the local server by name. */
function namesToLoopback(...names: string[]): LookupFunction {
  return (hostname, options, callback) => {
    if (!names.includes(hostname)) {
      systemLookup(hostname, options, callback);
      return;
    }
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  };
}

const fakeDnsToLoopback = (...names: string[]) => (hostname: string) =>
  Promise.resolve(names.includes(hostname) ? [{ address: '127.0.0.1', family: 4 }] : []);

// ---------------------------------------------------------------- tests

describe('fetchArticle: pages', () => {
  it('fetches an HTML news page and extracts the article', async () => {
    const article = await fetchArticle(`${base}/harbor`, local);
    expect(article).toMatchObject({
      finalUrl: `${base}/harbor`,
      contentType: 'text/html',
      title: 'Harbor City council approves $48m budget after late-night session',
      author: 'Maria Delgado',
      published: '2024-03-12T23:41:00-05:00',
      url: 'https://www.harborledger.example/news/local/2024/03/12/council-approves-budget',
    });
    expect(article.text).toMatch(/^Harbor City council approved a \$48 million operating budget/);
    expect(article.text).not.toContain('We use cookies');
  });

  it('accepts application/xhtml+xml', async () => {
    const article = await fetchArticle(`${base}/xhtml`, local);
    expect(article.contentType).toBe('application/xhtml+xml');
    expect(article.text).toContain('Library delayed again');
  });

  it('uses text/plain as it is, with line ends normalised', async () => {
    await expect(fetchArticle(`${base}/plain`, local)).resolves.toEqual({
      finalUrl: `${base}/plain`,
      contentType: 'text/plain',
      url: `${base}/plain`,
      text: 'Line one.\nLine two.',
    });
  });

  it('rejects an empty text page and an HTML page without article text', async () => {
    expect(await failure(`${base}/empty-plain`)).toBe('the page is empty');
    expect(await failure(`${base}/chrome-only`)).toBe('no article text found in the HTML');
  });
});

describe('fetchArticle: character sets', () => {
  const expectCafeText = (text: string): void => {
    expect(text).toContain('“We are not against paying our share,” said Jürgen Weiß');
    expect(text).toContain('€4,000');
  };

  it('decodes windows-1252 declared in the Content-Type header', async () => {
    expectCafeText((await fetchArticle(`${base}/cafe-1252`, local)).text);
  });

  it('decodes windows-1252 declared only in <meta charset>', async () => {
    const article = await fetchArticle(`${base}/cafe-1252-meta-only`, local);
    expectCafeText(article.text);
    expect(article.author).toBe('Sofía Muñoz');
  });

  it('treats an ISO-8859-1 label as windows-1252, as browsers do', async () => {
    expectCafeText((await fetchArticle(`${base}/cafe-latin1-label`, local)).text);
  });

  it('defaults to UTF-8 when nothing is declared', async () => {
    expect((await fetchArticle(`${base}/utf8-undeclared`, local)).text).toBe('Jürgen Weiß opened the café in 2013 and still runs it today.');
  });

  it('names a character set it cannot decode', async () => {
    expect(await failure(`${base}/odd-charset`)).toBe('the page uses an unsupported character set (x-made-up)');
  });
});

describe('fetchArticle: refusals', () => {
  it.each([
    ['/image', 'content type image/png is not an article'],
    ['/json', 'content type application/json is not an article'],
    ['/untyped', 'the server did not say what type of content the page is'],
    ['/gzip', 'the server sent compressed content (gzip) although none was asked for'],
    ['/missing', 'the server answered 404'],
    ['/broken', 'the server answered 500'],
    ['/no-location', 'the server answered 302 without saying where to go'],
  ])('%s: %s', async (path, reason) => {
    expect(await failure(`${base}${path}`)).toBe(reason);
  });

  it('reports a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await failure(`http://127.0.0.1:${closedPort}/`)).toBe('127.0.0.1 refused the connection');
  });
});

describe('fetchArticle: limits', () => {
  it('times out on a server that never answers', async () => {
    expect(await failure(`${base}/hang`, { ...local, timeoutMs: 200 })).toBe('timed out after 200 ms');
  });

  it('times out on a body that stops arriving', async () => {
    expect(await failure(`${base}/stall-body`, { ...local, timeoutMs: 300 })).toBe('timed out after 300 ms');
  });

  it('applies the timeout to the whole redirect chain, not to each request', async () => {
    // Four hops of 150 ms each: no single request reaches 400 ms, the chain does.
    expect(await failure(`${base}/slow-chain/3`, { ...local, timeoutMs: 400 })).toBe('timed out after 400 ms');
  });

  it('refuses at once a body whose declared length is over the limit', async () => {
    expect(await failure(`${base}/declared-huge`, { ...local, timeoutMs: 5_000 })).toBe('the page is larger than 2 MB');
  });

  it('stops downloading a streamed body as soon as it passes the limit', async () => {
    expect(await failure(`${base}/endless`, { ...local, maxBytes: 256 * 1024 })).toBe('the page is larger than 256 KB');
    // The server sees the connection closed long before its 64 MB are sent.
    await vi.waitFor(() => expect(streamAborted).toBe(true));
    expect(streamedBytes).toBeLessThan(32 * 1024 * 1024);
  });

  it('follows up to five redirects, resolving relative locations', async () => {
    const article = await fetchArticle(`${base}/chain/4`, local);
    expect(article.finalUrl).toBe(`${base}/harbor`);
    expect((await fetchArticle(`${base}/nested/../relative-redirect`, local)).finalUrl).toBe(`${base}/harbor`);
  });

  it('refuses a sixth redirect, and a redirect loop', async () => {
    expect(await failure(`${base}/chain/5`)).toBe('the page redirected more than 5 times');
    expect(await failure(`${base}/loop`)).toBe('the page redirected more than 5 times');
    expect(await failure(`${base}/chain/2`, { ...local, maxRedirects: 2 })).toBe('the page redirected more than 2 times');
  });
});

describe('fetchArticle: what it sends', () => {
  it('names the bot, asks for articles and sends no cookies or credentials, even after Set-Cookie', async () => {
    seen.length = 0;
    await fetchArticle(`${base}/cookie-redirect`, local);
    const followed = seen.find((request) => request.path === '/headers');
    expect(followed?.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(followed?.headers.accept).toMatch(/^text\/html/);
    expect(followed?.headers['accept-encoding']).toBe('identity');
    expect(followed?.headers.cookie).toBeUndefined();
    expect(followed?.headers.authorization).toBeUndefined();
    expect(followed?.headers.referer).toBeUndefined();
  });

  it('uses the User-Agent given in the options', async () => {
    seen.length = 0;
    await fetchArticle(`${base}/headers`, { ...local, userAgent: 'ArticleQABot/9.9 (+https://example.org/bot)' });
    expect(seen[0]?.headers['user-agent']).toBe('ArticleQABot/9.9 (+https://example.org/bot)');
  });
});

describe('fetchArticle: private addresses', () => {
  it('refuses the local server by default, before connecting', async () => {
    seen.length = 0;
    expect(await failure(`${base}/harbor`, {})).toBe('a private address (127.0.0.1) is not allowed');
    expect(await failure(`http://localhost:${port}/harbor`, { allowPrivate: false })).toBe(
      'a private address (localhost) is not allowed',
    );
    expect(seen).toEqual([]);
  });

  it('refuses URLs with credentials or other protocols', async () => {
    expect(await failure(`http://user:pw@127.0.0.1:${port}/harbor`)).toBe('a URL with a user name or password is not allowed');
    expect(await failure('file:///etc/passwd')).toBe('a file: URL (only http and https) is not allowed');
  });

  it('connects to the address the guarded lookup approved (a made-up name reaches the local server)', async () => {
    const lookup = createGuardedLookup({ allowPrivate: true, resolve: fakeDnsToLoopback('news.test') });
    const article = await fetchArticle(`http://news.test:${port}/harbor`, { allowPrivate: true, lookup });
    expect(article.finalUrl).toBe(`http://news.test:${port}/harbor`);
    expect(article.author).toBe('Maria Delgado');
  });

  it('refuses a host name whose DNS answer is private, at connection time', async () => {
    // The name passes the URL check; only the lookup inside http.request can catch it.
    seen.length = 0;
    const lookup = createGuardedLookup({ allowPrivate: false, resolve: fakeDnsToLoopback('news.test') });
    expect(await failure(`http://news.test:${port}/harbor`, { allowPrivate: false, lookup })).toBe(
      'news.test (which resolves to the private address 127.0.0.1) is not allowed',
    );
    expect(seen).toEqual([]);
  });

  // For the redirect tests the first hop has to reach 127.0.0.1, so "news.test" is resolved by an
  // unchecked test lookup; allowPrivate stays false so every redirect target is checked as in production.
  it('refuses a redirect to a private address literal without requesting it', async () => {
    seen.length = 0;
    const options = { allowPrivate: false, lookup: namesToLoopback('news.test') };
    expect(await failure(`http://news.test:${port}/to-private`, options)).toBe(
      'redirected to a private address (127.0.0.1), which is not allowed',
    );
    expect(await failure(`http://news.test:${port}/to-metadata`, options)).toBe(
      'redirected to a private address (169.254.169.254), which is not allowed',
    );
    expect(await failure(`http://news.test:${port}/to-file`, options)).toBe(
      'redirected to a file: URL (only http and https), which is not allowed',
    );
    expect(requested('/to-private')).toBe(true);
    expect(requested('/secret')).toBe(false);
  });

  it('refuses a redirect to a host name whose DNS answer is private', async () => {
    seen.length = 0;
    const guarded = createGuardedLookup({ allowPrivate: false, resolve: fakeDnsToLoopback('internal.test') });
    const firstHopOnly = namesToLoopback('news.test');
    const lookup: LookupFunction = (hostname, options, callback) =>
      (hostname === 'news.test' ? firstHopOnly : guarded)(hostname, options, callback);
    expect(await failure(`http://news.test:${port}/to-internal-name`, { allowPrivate: false, lookup })).toBe(
      'redirected to internal.test (which resolves to the private address 127.0.0.1), which is not allowed',
    );
    expect(requested('/to-internal-name')).toBe(true);
    expect(requested('/secret')).toBe(false);
  });
});

describe('checkRedirect', () => {
  const from = new URL('https://news.example.com/2024/story?id=1');

  it.each([
    ['/other', 'https://news.example.com/other'],
    ['../archive/', 'https://news.example.com/archive/'],
    ['//cdn.example.net/a', 'https://cdn.example.net/a'],
    ['http://news.example.com/plain-http', 'http://news.example.com/plain-http'],
  ])('follows %s to %s', (location, expected) => {
    expect(checkRedirect(from, location).href).toBe(expected);
  });

  it.each([
    ['http://10.0.0.5/admin', 'redirected to a private address (10.0.0.5), which is not allowed'],
    ['http://[fd00::1]/', 'redirected to a private address (fd00::1), which is not allowed'],
    ['http://0177.0.0.1/', 'redirected to a private address (127.0.0.1), which is not allowed'],
    ['http://localhost/', 'redirected to a private address (localhost), which is not allowed'],
    ['gopher://example.com/', 'redirected to a gopher: URL (only http and https), which is not allowed'],
    ['https://admin:pw@news.example.com/', 'redirected to a URL with a user name or password, which is not allowed'],
    ['http://[::1', 'the server redirected to an invalid URL'],
  ])('refuses %s', (location, reason) => {
    expect(() => checkRedirect(from, location)).toThrow(new FetchError(reason));
  });

  it('lets private targets through when allowed, but still checks the protocol', () => {
    expect(checkRedirect(from, 'http://127.0.0.1:8080/', { allowPrivate: true }).host).toBe('127.0.0.1:8080');
    expect(() => checkRedirect(from, 'file:///etc/passwd', { allowPrivate: true })).toThrow(FetchError);
  });
});
