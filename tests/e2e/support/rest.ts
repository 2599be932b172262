/**
 * The HTTP side of the fake: parses `/api/v10/...` requests the way Discord would receive them from
 * @discordjs/rest (JSON or multipart with `payload_json`), routes them, injects faults, and records
 * every request with the response it got, so tests can assert on exactly what the bot sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { DiscordApiError } from './message-body.js';

export interface RecordedFile {
  field: string;
  name: string;
  contentType: string;
  size: number;
}

export interface RecordedRequest {
  /** Position in the log, from 0. */
  index: number;
  time: number;
  method: string;
  /** The API path without `/api/v10`, percent-decoded, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  apiVersion: number | null;
  authorization: string | null;
  /** Parsed JSON body (for multipart: the parsed `payload_json`). */
  body: unknown;
  files: RecordedFile[];
  /** The matched route template, e.g. `POST /channels/:channelId/messages`; null if unknown. */
  route: string | null;
  status: number;
  response: unknown;
  /** True when the response came from `failNext` rather than the route. */
  injectedFault: boolean;
}

/** What fault matchers see: the request before it is handled. */
export interface RequestInfo {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export type RequestMatcher = ((request: RequestInfo) => boolean) | { method?: string; path: RegExp | string };

export interface FaultSpec {
  /** 429 for a rate limit, 5xx for a server error, or any 4xx (then give `code`/`message`). */
  status: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** 429 only: seconds to wait, sent in `retry-after` and `retry_after` (default 0.1). */
  retryAfter?: number;
  /** 429 only: a global rate limit (`x-ratelimit-global`, scope `global`). */
  global?: boolean;
  /** 429 only: `x-ratelimit-scope` (default `user`, or `global` when `global`). */
  scope?: 'user' | 'global' | 'shared';
  /** Discord JSON error code for non-429 faults (default 0). */
  code?: number;
  message?: string;
}

export interface FaultHandle {
  readonly hits: number;
  readonly remaining: number;
}

export interface DelaySpec {
  /** How long each matching request is held before it is handled. */
  ms: number;
  /** How many matching requests are held (default 1). */
  times?: number;
}

/** `hits` counts requests that arrived and are (or were) being held. */
export type DelayHandle = FaultHandle;

export interface RouteRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  fileCount: number;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  /** Whether the route needs `Authorization: Bot <token>` (interaction routes use the token in the URL). */
  auth: boolean;
  handle(request: RouteRequest): RouteResult;
}

/** Compiles `/channels/:channelId/messages` into a matcher with named groups. */
export function route(method: string, template: string, auth: boolean, handle: Route['handle']): Route {
  const source = template
    .split('/')
    .map((segment) => (segment.startsWith(':') ? `(?<${segment.slice(1)}>[^/]+)` : segment.replace(/[.*+?^${}()|[\]\\@]/g, '\\$&')))
    .join('/');
  return { method, template, pattern: new RegExp(`^${source}$`), auth, handle };
}

interface ActiveFault extends FaultHandle {
  matches(request: RequestInfo): boolean;
  spec: FaultSpec;
  hits: number;
  remaining: number;
}

interface ParsedRequest extends RequestInfo {
  apiVersion: number | null;
  authorization: string | null;
  files: RecordedFile[];
}

const API_PREFIX = /^\/api\/v(?<version>\d+)(?<path>\/.*)?$/;

export class FakeRest {
  readonly requests: RecordedRequest[] = [];
  /** Exceptions thrown by the fake itself (a bug in the fake, not in the bot). */
  readonly internalErrors: string[] = [];
  private readonly faults: ActiveFault[] = [];
  private readonly delays: Array<{ matches(request: RequestInfo): boolean; ms: number; hits: number; remaining: number }> = [];

  constructor(
    private readonly routes: readonly Route[],
    private readonly token: string | null,
    private readonly notify: () => void,
  ) {}

  failNext(matcher: RequestMatcher, spec: FaultSpec): FaultHandle {
    const fault: ActiveFault = { matches: toPredicate(matcher), spec, hits: 0, remaining: spec.times ?? 1 };
    this.faults.push(fault);
    return fault;
  }

  /** Holds the next `times` requests matching `matcher` for `ms` before handling them (a slow Discord). */
  delayNext(matcher: RequestMatcher, spec: DelaySpec): DelayHandle {
    const delay = { matches: toPredicate(matcher), ms: spec.ms, hits: 0, remaining: spec.times ?? 1 };
    this.delays.push(delay);
    return delay;
  }

  /** The `http.Server` request listener. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = await parseRequest(req);
    await this.holdIfDelayed(parsed);
    const { status, body, headers, route: matched, injected } = this.respond(parsed);
    const payload = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers });
    res.end(payload);
    this.requests.push({
      index: this.requests.length,
      time: Date.now(),
      method: parsed.method,
      path: parsed.path,
      query: parsed.query,
      apiVersion: parsed.apiVersion,
      authorization: parsed.authorization,
      body: parsed.body,
      files: parsed.files,
      route: matched?.template === undefined ? null : `${matched.method} ${matched.template}`,
      status,
      response: body,
      injectedFault: injected,
    });
    this.notify();
  }

  private async holdIfDelayed(request: ParsedRequest): Promise<void> {
    const delay = this.delays.find((d) => d.remaining > 0 && d.matches(request));
    if (!delay) return;
    delay.remaining -= 1;
    delay.hits += 1;
    this.notify();
    await new Promise((resolve) => setTimeout(resolve, delay.ms));
  }

  private respond(request: ParsedRequest): { status: number; body?: unknown; headers?: Record<string, string>; route: Route | null; injected: boolean } {
    const found = this.match(request);
    const fault = this.faults.find((f) => f.remaining > 0 && f.matches(request));
    if (fault) {
      fault.remaining -= 1;
      fault.hits += 1;
      return { ...faultResponse(fault.spec), route: found?.route ?? null, injected: true };
    }
    if (request.apiVersion !== null && request.apiVersion !== 10) {
      return { status: 400, body: { message: 'Invalid API version', code: 50041 }, route: null, injected: false };
    }
    if (!found || request.apiVersion === null) return { status: 404, body: { message: '404: Not Found', code: 0 }, route: null, injected: false };
    if (found.route.auth && !this.isAuthorized(request.authorization)) {
      return { status: 401, body: { message: '401: Unauthorized', code: 0 }, route: found.route, injected: false };
    }
    return { ...this.run(found.route, found.params, request), route: found.route, injected: false };
  }

  private run(matched: Route, params: Record<string, string>, request: ParsedRequest): RouteResult {
    try {
      return matched.handle({ params, query: request.query, body: request.body, fileCount: request.files.length });
    } catch (error) {
      if (error instanceof DiscordApiError) return { status: error.status, body: error.toBody() };
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      this.internalErrors.push(`${request.method} ${request.path}: ${text}`);
      return { status: 500, body: { message: `fake-discord internal error: ${String(error)}`, code: 0 } };
    }
  }

  private match(request: RequestInfo): { route: Route; params: Record<string, string> } | null {
    for (const candidate of this.routes) {
      const result = candidate.method === request.method ? candidate.pattern.exec(request.path) : null;
      if (result) return { route: candidate, params: { ...result.groups } };
    }
    return null;
  }

  private isAuthorized(authorization: string | null): boolean {
    if (!authorization?.startsWith('Bot ')) return false;
    return this.token === null || authorization === `Bot ${this.token}`;
  }
}

function toPredicate(matcher: RequestMatcher): (request: RequestInfo) => boolean {
  if (typeof matcher === 'function') return matcher;
  const { method, path } = matcher;
  return (request) =>
    (method === undefined || method.toUpperCase() === request.method) && (typeof path === 'string' ? request.path === path : path.test(request.path));
}

/** Error responses shaped like Discord's, including the rate-limit headers @discordjs/rest reads. */
function faultResponse(spec: FaultSpec): { status: number; body: unknown; headers: Record<string, string> } {
  if (spec.status !== 429) {
    const message = spec.message ?? `${spec.status}: ${STATUS_CODES[spec.status] ?? 'Error'}`;
    return { status: spec.status, body: { message, code: spec.code ?? 0 }, headers: {} };
  }
  const retryAfter = spec.retryAfter ?? 0.1;
  const global = spec.global ?? false;
  const headers: Record<string, string> = {
    'retry-after': String(retryAfter),
    'x-ratelimit-limit': '5',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': String(retryAfter),
    'x-ratelimit-bucket': 'fake0bucket0hash',
    'x-ratelimit-scope': spec.scope ?? (global ? 'global' : 'user'),
    ...(global ? { 'x-ratelimit-global': 'true' } : {}),
  };
  return { status: 429, body: { message: spec.message ?? 'You are being rate limited.', retry_after: retryAfter, global, code: spec.code ?? 0 }, headers };
}

async function parseRequest(req: IncomingMessage): Promise<ParsedRequest> {
  const raw = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const prefix = API_PREFIX.exec(url.pathname);
  const contentType = req.headers['content-type'] ?? '';
  const { body, files } = await parseBody(raw, contentType);
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: decodeSegments(prefix ? (prefix.groups?.path ?? '/') : url.pathname),
    query: Object.fromEntries(url.searchParams),
    apiVersion: prefix ? Number(prefix.groups?.version) : null,
    authorization: req.headers.authorization ?? null,
    body,
    files,
  };
}

/** discord.js percent-encodes `@original` and `@me`; decoding per segment keeps `/` boundaries intact. */
function decodeSegments(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseBody(raw: Buffer, contentType: string): Promise<{ body: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) return parseMultipart(raw, contentType);
  const text = raw.toString('utf8');
  if (!contentType.startsWith('application/json')) return { body: text, files: [] };
  try {
    return { body: JSON.parse(text) as unknown, files: [] };
  } catch {
    return { body: text, files: [] };
  }
}

/** @discordjs/rest sends attachments as multipart: `files[n]` parts plus the JSON in `payload_json`. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<{ body: unknown; files: RecordedFile[] }> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  let body: unknown;
  const files: RecordedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') body = JSON.parse(value) as unknown;
    } else {
      files.push({ field, name: value.name, contentType: value.type, size: value.size });
    }
  }
  return { body, files };
}
