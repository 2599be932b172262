/**
 * The page does not choose its own link (issue 15 item 2): an added page is kept under the address it
 * was fetched from unless its canonical is on the same site, and it replaces an existing article only
 * when the fetched address is that article's url. A real HTTP server on loopback serves the pages.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { articleAddress } from '../../src/sources/article-intake';
import { ArticleLibrary } from '../../src/sources/library';

const moderator = { id: '1', tag: 'mod#0001' };
let server: Server;
let base: string;
const page = (canonical: string, topic: string) =>
  `<html><head><title>${topic}</title><link rel="canonical" href="${canonical}"></head><body><article>` +
  `<p>${topic} reopened on Friday after two years of repairs paid for by the council and the port.</p>` +
  `<p>Engineers said the new stones would last another hundred years if the winters stay mild.</p></article></body></html>`;

beforeAll(async () => {
  server = createServer((request, response) => {
    const pages: Record<string, string> = {
      '/elsewhere': page('https://evil.example/owned', 'The harbour wall'),
      '/same-site': page('/news/harbour-wall', 'The harbour wall'),
      '/original': page('/original', 'The old bridge'),
      '/claims-original': page(`${base}/original`, 'The fake bridge'),
      '/redirect': '',
    };
    if (request.url === '/redirect') {
      response.writeHead(302, { Location: '/same-site' }).end();
      return;
    }
    const body = pages[request.url ?? ''];
    if (body === undefined) response.writeHead(404).end();
    else response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qa-urls-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = async () => (await ArticleLibrary.open({ sourcesPath: dir, allowPrivateUrls: true })).library;

describe('the url of an added page', () => {
  it('is the fetched address when the canonical names another site', async () => {
    const added = await (await open()).addFromUrl(`${base}/elsewhere`, moderator);
    expect(added.source.url).toBe(`${base}/elsewhere`);
  });

  it('is the canonical when it is on the same site, and the address after redirects otherwise', async () => {
    const library = await open();
    expect((await library.addFromUrl(`${base}/same-site`, moderator)).source.url).toBe(`${base}/news/harbour-wall`);
    expect(articleAddress(undefined, `${base}/same-site`)).toBe(`${base}/same-site`);
    expect(articleAddress('https://discord.com@127.0.0.1/x', `${base}/a`)).toBe(`${base}/a`);
  });

  it('replaces an article only when the fetched address is its url, not because the page claims it', async () => {
    const library = await open();
    await library.addFromUrl(`${base}/original`, moderator);
    const claim = await library.addFromUrl(`${base}/claims-original`, moderator);
    expect(claim.replaced).toBe(false);
    expect(library.sources().map((source) => source.title).sort()).toEqual(['The fake bridge', 'The old bridge']);
    expect((await readdir(dir)).filter((name) => !name.startsWith('.'))).toHaveLength(2);
    // The same address again does update it.
    expect((await library.addFromUrl(`${base}/original`, moderator)).replaced).toBe(true);
    expect(library.counts().sources).toBe(2);
  });
});
