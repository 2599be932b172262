/**
 * A Discord gateway (v10, JSON encoding, no compression) on a WebSocket: HELLO, IDENTIFY → READY +
 * GUILD_CREATE, heartbeats, RESUME with replay of missed dispatches, and test controls that make the
 * connection fail in the ways the real gateway does (closes, INVALID_SESSION, RECONNECT).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits, GatewayOpcodes } from 'discord.js';
import type { GatewayPresenceUpdateData } from 'discord.js';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import { sessionId as newSessionId } from './ids.js';
import { isRecord } from './message-body.js';
import type { World } from './world.js';

export const GATEWAY_PATH = '/gateway';
/** READY's resume_gateway_url points elsewhere, as on Discord, so tests can see the client honours it. */
export const RESUME_GATEWAY_PATH = '/gateway-resume';

const PRIVILEGED_INTENTS = GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;
/** Discord closes with 1000/1001 from the client as the end of the session: it cannot be resumed. */
const SESSION_ENDING_CLOSE_CODES = new Set([1000, 1001]);
const HISTORY_LIMIT = 1000;

export interface GatewayOptions {
  heartbeatIntervalMs: number;
  /** If set, IDENTIFY/RESUME with another token is refused (close 4004), as Discord does. */
  token: string | null;
  /** Privileged intents "enabled in the developer portal"; requesting others closes with 4014. */
  allowedPrivilegedIntents: number;
}

export interface ConnectionRecord {
  id: number;
  openedAt: number;
  path: string;
  query: Record<string, string>;
  closedAt: number | null;
  closeCode: number | null;
  closedBy: 'client' | 'server' | null;
}

export interface IdentifyRecord {
  time: number;
  connectionId: number;
  token: string;
  intents: number;
  properties: unknown;
  shard: unknown;
  compress: boolean;
  presence: GatewayPresenceUpdateData | null;
}

export interface ResumeRecord {
  time: number;
  connectionId: number;
  sessionId: string;
  seq: number;
  accepted: boolean;
  replayed: number;
}

export interface PresenceRecord {
  time: number;
  source: 'identify' | 'update';
  presence: GatewayPresenceUpdateData;
  /** The shard whose connection sent it (0 for an unsharded bot). */
  shard: number;
}

/** `[shard_id, num_shards]`, as in IDENTIFY and READY. */
export type ShardInfo = [number, number];

/** How `dropConnection` ends the socket: a close frame with a code, or a TCP reset (no close frame). */
export type DropMode = { code: number; reason?: string } | 'terminate';
export type DispatchOutcome = 'sent' | 'buffered' | 'filtered';

interface SentDispatch {
  s: number;
  t: string;
  d: unknown;
}

interface Session {
  id: string;
  shard: ShardInfo;
  seq: number;
  intents: number;
  resumable: boolean;
  history: SentDispatch[];
  connection: Connection | null;
}

interface Connection {
  socket: WebSocket;
  record: ConnectionRecord;
  session: Session | null;
}

export class FakeGateway {
  readonly connections: ConnectionRecord[] = [];
  readonly identifies: IdentifyRecord[] = [];
  readonly resumes: ResumeRecord[] = [];
  readonly presences: PresenceRecord[] = [];
  readonly heartbeats: Array<{ time: number; seq: unknown }> = [];
  /** Client payloads the fake understood but does not act on (e.g. op 8 REQUEST_GUILD_MEMBERS). */
  readonly otherPayloads: Array<{ time: number; op: number; d: unknown }> = [];
  /** Protocol violations by the client; a correct bot leaves this empty. */
  readonly protocolErrors: string[] = [];
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly open = new Set<Connection>();
  /** One session per shard id; an unsharded bot only has shard 0. */
  private readonly sessions = new Map<number, Session>();
  private ackHeartbeats = true;
  private nextConnectionId = 1;
  private resumeUrl = '';

  constructor(
    private readonly world: World,
    private readonly options: GatewayOptions,
    private readonly notify: () => void,
  ) {}

  /** @param origin `ws://127.0.0.1:PORT` */
  setOrigin(origin: string): void {
    this.resumeUrl = `${origin}${RESUME_GATEWAY_PATH}`;
  }

  /** Takes over HTTP upgrades for the gateway paths; returns false for any other path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== GATEWAY_PATH && url.pathname !== RESUME_GATEWAY_PATH) return false;
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws, url));
    return true;
  }

  /** The intents of the session that receives the guild's events (see `guildShard`). */
  get currentIntents(): number | null {
    return this.sessionFor()?.intents ?? null;
  }

  get isConnected(): boolean {
    return this.isShardConnected(this.guildShard);
  }

  /** The shard count the bot identified with (1 until a sharded IDENTIFY). */
  get shardCount(): number {
    return [...this.sessions.values()].at(-1)?.shard[1] ?? 1;
  }

  /** The shard Discord sends the guild's events to: `(guild_id >> 22) % num_shards`. */
  get guildShard(): number {
    return shardOfGuild(this.world.guildId, this.shardCount);
  }

  isShardConnected(shard: number): boolean {
    return this.sessions.get(shard)?.connection?.socket.readyState === WebSocket.OPEN;
  }

  /** Intents of `shard`'s session, or null before it identified. */
  intentsOf(shard: number): number | null {
    return this.sessions.get(shard)?.intents ?? null;
  }

  /**
   * Sends a dispatch on a session (default: the guild's shard). While the socket is down it is kept for
   * replay on RESUME, like Discord does; events needing an intent the bot did not request are not sent.
   */
  dispatch(event: string, data: unknown, requiredIntent?: number, shard?: number): DispatchOutcome {
    const session = this.sessionFor(shard);
    if (!session) throw new Error(`FakeDiscord: cannot send ${event}: no gateway session${shard === undefined ? '' : ` for shard ${shard}`} (has the bot logged in?)`);
    if (requiredIntent !== undefined && (session.intents & requiredIntent) === 0) return 'filtered';
    const sent: SentDispatch = { s: ++session.seq, t: event, d: data };
    session.history.push(sent);
    if (session.history.length > HISTORY_LIMIT) session.history.shift();
    const connection = session.connection;
    if (!connection || connection.socket.readyState !== WebSocket.OPEN) return 'buffered';
    send(connection, { op: GatewayOpcodes.Dispatch, ...sent });
    return 'sent';
  }

  /** Like `dispatch`, but silently skipped when no session exists (e.g. echoes before login). */
  dispatchIfSession(event: string, data: unknown, requiredIntent?: number): void {
    if (this.sessionFor()) this.dispatch(event, data, requiredIntent);
  }

  /** Ends the current socket as a network failure or a gateway restart would; the session stays resumable. */
  dropConnection(mode: DropMode = { code: GatewayCloseCodes.UnknownError, reason: 'fake-discord: dropped by test' }, shard?: number): void {
    const connection = this.requireConnection('drop the connection', shard);
    connection.record.closedBy = 'server';
    if (mode === 'terminate') connection.socket.terminate();
    else connection.socket.close(mode.code, mode.reason);
  }

  /** Sends op 9 INVALID_SESSION; with `resumable: false` the session can no longer be resumed. */
  invalidateSession(resumable: boolean, shard?: number): void {
    const connection = this.requireConnection('send INVALID_SESSION', shard);
    if (!resumable && connection.session) connection.session.resumable = false;
    send(connection, { op: GatewayOpcodes.InvalidSession, d: resumable });
  }

  /** Sends op 7 RECONNECT: the client should reconnect to resume_gateway_url and RESUME. */
  requestReconnect(shard?: number): void {
    send(this.requireConnection('send RECONNECT', shard), { op: GatewayOpcodes.Reconnect, d: null });
  }

  /** With acks off the client sees a zombied connection on its next heartbeat. */
  setHeartbeatAcks(enabled: boolean): void {
    this.ackHeartbeats = enabled;
  }

  async close(): Promise<void> {
    for (const connection of this.open) connection.socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket, url: URL): void {
    const record: ConnectionRecord = {
      id: this.nextConnectionId++,
      openedAt: Date.now(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      closedAt: null,
      closeCode: null,
      closedBy: null,
    };
    const connection: Connection = { socket, record, session: null };
    this.connections.push(record);
    this.open.add(connection);
    socket.on('message', (data, isBinary) => this.onMessage(connection, data, isBinary));
    socket.on('close', (code) => this.onClose(connection, code));
    socket.on('error', (error) => this.protocolError(connection, null, `socket error: ${error.message}`));
    const unsupported = unsupportedQuery(record.query);
    if (unsupported) {
      this.protocolError(connection, GatewayCloseCodes.InvalidAPIVersion, unsupported);
      return;
    }
    send(connection, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs, _trace: ['["fake-discord-gateway",{"micros":0}]'] } });
    this.notify();
  }

  private onClose(connection: Connection, code: number): void {
    this.open.delete(connection);
    connection.record.closedAt = Date.now();
    connection.record.closeCode = code;
    connection.record.closedBy ??= 'client';
    const session = connection.session;
    if (session?.connection === connection) {
      session.connection = null;
      if (connection.record.closedBy === 'client' && SESSION_ENDING_CLOSE_CODES.has(code)) session.resumable = false;
    }
    this.notify();
  }

  private onMessage(connection: Connection, data: RawData, isBinary: boolean): void {
    const payload = isBinary ? null : parseJson(rawToString(data));
    if (!isRecord(payload) || typeof payload.op !== 'number') {
      this.protocolError(connection, GatewayCloseCodes.DecodeError, `undecodable payload: ${rawToString(data).slice(0, 200)}`);
      return;
    }
    const unauthenticatedOk = payload.op === GatewayOpcodes.Heartbeat || payload.op === GatewayOpcodes.Identify || payload.op === GatewayOpcodes.Resume;
    if (!connection.session && !unauthenticatedOk) {
      this.protocolError(connection, GatewayCloseCodes.NotAuthenticated, `op ${payload.op} sent before IDENTIFY/RESUME`);
      return;
    }
    this.handleOp(connection, payload.op, payload.d);
    this.notify();
  }

  private handleOp(connection: Connection, op: number, d: unknown): void {
    switch (op) {
      case GatewayOpcodes.Heartbeat:
        this.heartbeats.push({ time: Date.now(), seq: d });
        if (this.ackHeartbeats) send(connection, { op: GatewayOpcodes.HeartbeatAck });
        return;
      case GatewayOpcodes.Identify:
        this.identify(connection, d);
        return;
      case GatewayOpcodes.Resume:
        this.resume(connection, d);
        return;
      case GatewayOpcodes.PresenceUpdate:
        if (isPresence(d)) this.presences.push({ time: Date.now(), source: 'update', presence: d, shard: connection.session?.shard[0] ?? 0 });
        else this.protocolError(connection, GatewayCloseCodes.DecodeError, `invalid PRESENCE_UPDATE: ${JSON.stringify(d)}`);
        return;
      case GatewayOpcodes.RequestGuildMembers:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestSoundboardSounds:
        this.otherPayloads.push({ time: Date.now(), op, d });
        return;
      default:
        this.protocolError(connection, GatewayCloseCodes.UnknownOpcode, `unknown opcode ${op}`);
    }
  }

  private identify(connection: Connection, d: unknown): void {
    if (connection.session) return this.protocolError(connection, GatewayCloseCodes.AlreadyAuthenticated, 'IDENTIFY on an authenticated connection');
    if (!isRecord(d) || typeof d.token !== 'string' || typeof d.intents !== 'number') {
      return this.protocolError(connection, GatewayCloseCodes.DecodeError, `invalid IDENTIFY: ${JSON.stringify(d)}`);
    }
    const presence = isPresence(d.presence) ? d.presence : null;
    this.identifies.push({ time: Date.now(), connectionId: connection.record.id, token: d.token, intents: d.intents, properties: d.properties, shard: d.shard, compress: d.compress === true, presence });
    if (this.options.token !== null && d.token !== this.options.token) {
      return this.closeWith(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    }
    const shard = parseShard(d.shard);
    if (!shard) return this.closeWith(connection, GatewayCloseCodes.InvalidShard, 'Invalid shard.');
    if ((d.intents & PRIVILEGED_INTENTS & ~this.options.allowedPrivilegedIntents) !== 0) {
      return this.closeWith(connection, GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
    }
    if (presence) this.presences.push({ time: Date.now(), source: 'identify', presence, shard: shard[0] });
    const session: Session = { id: newSessionId(), shard, seq: 0, intents: d.intents, resumable: true, history: [], connection };
    const previous = this.sessions.get(shard[0]);
    if (previous) previous.resumable = false;
    this.sessions.set(shard[0], session);
    connection.session = session;
    // Like Discord, only the shard a guild belongs to hears about it.
    const owned = this.world.guildIds().filter((guildId) => shardOfGuild(guildId, shard[1]) === shard[0]);
    this.dispatch(GatewayDispatchEvents.Ready, this.world.readyData(session.id, this.resumeUrl, shard, owned), undefined, shard[0]);
    for (const guildId of owned) this.dispatch(GatewayDispatchEvents.GuildCreate, this.world.guildCreateData(guildId), GatewayIntentBits.Guilds, shard[0]);
  }

  private resume(connection: Connection, d: unknown): void {
    if (!isRecord(d) || typeof d.session_id !== 'string' || typeof d.seq !== 'number' || typeof d.token !== 'string') {
      return this.protocolError(connection, GatewayCloseCodes.DecodeError, `invalid RESUME: ${JSON.stringify(d)}`);
    }
    const sessionId = d.session_id;
    const session = [...this.sessions.values()].find((candidate) => candidate.id === sessionId) ?? null;
    const seq = d.seq;
    const accepted = session !== null && session.id === d.session_id && session.resumable && seq <= session.seq && (this.options.token === null || d.token === this.options.token);
    const replay = accepted ? session.history.filter((event) => event.s > seq) : [];
    this.resumes.push({ time: Date.now(), connectionId: connection.record.id, sessionId: d.session_id, seq, accepted, replayed: replay.length });
    if (!accepted) {
      send(connection, { op: GatewayOpcodes.InvalidSession, d: false });
      return;
    }
    const previous = session.connection;
    if (previous && previous !== connection) previous.socket.close(GatewayCloseCodes.UnknownError, 'Session resumed elsewhere');
    session.connection = connection;
    connection.session = session;
    for (const event of replay) send(connection, { op: GatewayOpcodes.Dispatch, ...event });
    send(connection, { op: GatewayOpcodes.Dispatch, t: GatewayDispatchEvents.Resumed, s: ++session.seq, d: null });
  }

  private sessionFor(shard: number = this.guildShard): Session | null {
    return this.sessions.get(shard) ?? null;
  }

  private requireConnection(action: string, shard?: number): Connection {
    const connection = this.sessionFor(shard)?.connection;
    if (!connection || connection.socket.readyState !== WebSocket.OPEN) throw new Error(`FakeDiscord: cannot ${action}: the bot is not connected to the gateway`);
    return connection;
  }

  private closeWith(connection: Connection, code: number, reason: string): void {
    connection.record.closedBy = 'server';
    connection.socket.close(code, reason);
  }

  private protocolError(connection: Connection, closeCode: number | null, problem: string): void {
    this.protocolErrors.push(`connection ${connection.record.id}: ${problem}`);
    if (closeCode !== null) this.closeWith(connection, closeCode, problem.slice(0, 120));
    this.notify();
  }
}

/** Discord's formula for which shard receives a guild's events. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return shardCount <= 1 ? 0 : Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** IDENTIFY's optional `shard`: absent means `[0, 1]`; otherwise two integers with 0 ≤ id < count. */
function parseShard(raw: unknown): ShardInfo | null {
  if (raw === undefined || raw === null) return [0, 1];
  if (!Array.isArray(raw) || raw.length !== 2) return null;
  const [id, count] = raw as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return null;
  const shard: ShardInfo = [id as number, count as number];
  return shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1] ? shard : null;
}

/** discord.js 14.28 connects with `?v=10&encoding=json` (and `compress=zlib-stream` only if zlib-sync is installed). */
function unsupportedQuery(query: Record<string, string>): string | null {
  if (query.v !== '10') return `unsupported gateway version v=${query.v ?? '(none)'}; fake-discord speaks v10`;
  if (query.encoding !== 'json') return `unsupported encoding=${query.encoding ?? '(none)'}; fake-discord speaks json`;
  if (query.compress !== undefined) return `unsupported compress=${query.compress}; fake-discord does not compress`;
  return null;
}

function send(connection: Connection, payload: Record<string, unknown>): void {
  connection.socket.send(JSON.stringify({ s: null, t: null, ...payload }));
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isPresence(value: unknown): value is GatewayPresenceUpdateData {
  return isRecord(value) && typeof value.status === 'string' && Array.isArray(value.activities);
}
