/**
 * Files a user uploads into a slash command's attachment option. Discord sends the option's value as the
 * attachment id and the attachment itself in `data.resolved.attachments`; the file lives at `url` (in
 * tests, a loopback server the test runs).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIAttachment, APIInteractionDataResolved } from 'discord.js';
import { snowflake } from './ids.js';

export interface AttachmentSpec {
  filename: string;
  /** Where the bot downloads it from. */
  url: string;
  /** Bytes, as Discord reports it (the bot may refuse large files before downloading). */
  size: number;
  contentType?: string;
}

/** An uploaded file as Discord describes it; pass its `id` as the option value and it in `attachments`. */
export function attachment(spec: AttachmentSpec): APIAttachment {
  return {
    id: snowflake(),
    filename: spec.filename,
    size: spec.size,
    url: spec.url,
    proxy_url: spec.url,
    ...(spec.contentType !== undefined ? { content_type: spec.contentType } : {}),
  };
}

/** `data.resolved` holding the given attachments, keyed by id. */
export function resolvedAttachments(attachments: readonly APIAttachment[]): Pick<APIInteractionDataResolved, 'attachments'> {
  return { attachments: Object.fromEntries(attachments.map((file) => [file.id, file])) };
}

/** A loopback HTTP server for uploaded files: `files` maps a path ("/attachments/zoo.md") to its Markdown. */
export async function serveUploads(files: Record<string, string>): Promise<{ server: Server; base: string }> {
  const server = createServer((request, response) => {
    const body = files[request.url ?? ''];
    response.writeHead(body !== undefined ? 200 : 404, { 'Content-Type': 'text/markdown; charset=utf-8' });
    response.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
