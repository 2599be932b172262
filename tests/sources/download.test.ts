import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile } from '../../src/sources/download';
import { FetchError } from '../../src/sources/fetch-article';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    switch (request.url) {
      case '/notes.txt':
        response.writeHead(200, { 'Content-Type': 'text/plain' }).end('The council met on Tuesday.\n');
        return;
      case '/moved':
        response.writeHead(302, { Location: '/notes.txt' }).end();
        return;
      case '/loop':
        response.writeHead(302, { Location: '/loop' }).end();
        return;
      case '/declared-large':
        response.writeHead(200, { 'Content-Length': 5000 }).end('x'.repeat(5000));
        return;
      case '/streamed-large':
        response.writeHead(200);
        response.write('x'.repeat(600));
        response.end('x'.repeat(600));
        return;
      default:
        response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const options = { allowPrivate: true, maxBytes: 1000 };
const reasonOf = (promise: Promise<unknown>) => promise.then(() => 'no error', (error: unknown) => (error instanceof FetchError ? error.reason : String(error)));

describe('downloadFile', () => {
  it('downloads the bytes, following a redirect', async () => {
    expect((await downloadFile(`${base}/moved`, options)).toString('utf8')).toBe('The council met on Tuesday.\n');
  });

  it('refuses private addresses unless allowed', async () => {
    expect(await reasonOf(downloadFile(`${base}/notes.txt`, { maxBytes: 1000 }))).toBe('a private address (127.0.0.1) is not allowed');
  });

  it('stops at the size cap, declared or streamed', async () => {
    expect(await reasonOf(downloadFile(`${base}/declared-large`, options))).toBe('the file is larger than 1000 bytes (MAX_SOURCE_BYTES)');
    expect(await reasonOf(downloadFile(`${base}/streamed-large`, options))).toBe('the file is larger than 1000 bytes (MAX_SOURCE_BYTES)');
  });

  it('gives up on redirect loops and error statuses', async () => {
    expect(await reasonOf(downloadFile(`${base}/loop`, options))).toBe('the file download redirected too many times');
    expect(await reasonOf(downloadFile(`${base}/missing`, options))).toBe('the file server answered 404');
  });
});
