/**
 * FakeDiscord: a Discord-compatible server on 127.0.0.1 (REST v10 + gateway v10 on one port) for
 * end-to-end tests that run the real discord.js Client. See tests/e2e/fake-discord.test.ts for usage.
 */
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayDispatchEvents, GatewayIntentBits } from 'discord.js';
import type { APIApplicationCommand, APIMessage, GatewayPresenceUpdateData } from 'discord.js';
import { FakeGateway, GATEWAY_PATH, shardOfGuild } from './gateway.js';
import type { DropMode, IdentifyRecord, ResumeRecord } from './gateway.js';
import { InteractionHandle, MessageHandle } from './handles.js';
import { InteractionStore } from './interactions.js';
import { FakeRest } from './rest.js';
import type { DelayHandle, DelaySpec, FaultHandle, FaultSpec, RecordedRequest, RequestMatcher } from './rest.js';
import { discordRoutes } from './rest-routes.js';
import { buildInteraction, buildUserMessage, messageDispatch, withheldContent } from './user-events.js';
import type { InteractionSpec, MessageSpec } from './user-events.js';
import { Waiter } from './waiter.js';
import type { Check } from './waiter.js';
import { World } from './world.js';
import type { CommandScope, MessageEventKind, RoleSpec } from './world.js';

export type { CommandScope, MemberSpec, RoleSpec } from './world.js';
export type { CallbackData, RecordedCallback } from './interactions.js';
export type { ConnectionRecord, DispatchOutcome, DropMode, IdentifyRecord, PresenceRecord, ResumeRecord, ShardInfo } from './gateway.js';
export type { DelayHandle, DelaySpec, FaultHandle, FaultSpec, RecordedRequest, RequestInfo, RequestMatcher } from './rest.js';
export type { AutocompleteInteractionSpec, CommandInteractionSpec, ComponentInteractionSpec, InteractionSpec, MessageSpec } from './user-events.js';
export { InteractionHandle, MessageHandle } from './handles.js';
export { FakeDiscordTimeoutError } from './waiter.js';

export interface FakeDiscordOptions {
  /** Require exactly this bot token on REST and IDENTIFY (default: accept any `Bot …` token). */
  token?: string;
  /** HELLO's heartbeat_interval (default 41250 ms, Discord's usual value). */
  heartbeatIntervalMs?: number;
  /** How long the bot has to acknowledge an interaction (default 3000 ms, as on Discord). */
  interactionDeadlineMs?: number;
  /** Default timeout of every wait (default 5000 ms). */
  timeoutMs?: number;
  /** Privileged intents "enabled in the developer portal" (default none: requesting one closes with 4014). */
  allowedPrivilegedIntents?: number;
  guildName?: string;
  /** Puts the bot in a second server too (see World). */
  secondGuildName?: string;
  channelName?: string;
  botUsername?: string;
  /** Extra guild roles (besides @everyone and the bot's managed role); refer to them by name. */
  roles?: RoleSpec[];
  /** GET /gateway/bot's recommended shard count (default 1). The guild lives on `(guild_id >> 22) % count`. */
  shards?: number;
  /** GET /gateway/bot's `session_start_limit.max_concurrency` (default 1). */
  maxConcurrency?: number;
}

const DISPATCH_FOR_MESSAGE_EVENT: Record<MessageEventKind, GatewayDispatchEvents> = {
  create: GatewayDispatchEvents.MessageCreate,
  update: GatewayDispatchEvents.MessageUpdate,
  delete: GatewayDispatchEvents.MessageDelete,
};

export class FakeDiscord {
  /** Give this to discord.js as `new Client({ rest: { api } })` / `new REST({ api })`. */
  readonly restBase: string;
  readonly gatewayUrl: string;
  /** Records and controls of the gateway (identifies, resumes, connections, presences, protocolErrors…). */
  readonly gateway: FakeGateway;
  private readonly world: World;
  private readonly rest: FakeRest;
  private readonly interactions: InteractionStore;
  private readonly waiter: Waiter;
  private readonly defaultTimeoutMs: number;
  private closed = false;

  private constructor(
    private readonly server: Server,
    options: FakeDiscordOptions,
  ) {
    this.defaultTimeoutMs = options.timeoutMs ?? 5000;
    this.waiter = new Waiter(() => this.describeState());
    const notify = () => this.waiter.notify();
    this.world = new World({
      guildName: options.guildName ?? 'Newsroom',
      ...(options.secondGuildName !== undefined ? { secondGuildName: options.secondGuildName } : {}),
      channelName: options.channelName ?? 'ask-the-articles',
      botUsername: options.botUsername ?? 'Article Q&A',
      roles: options.roles ?? [],
    });
    this.interactions = new InteractionStore(this.world, options.interactionDeadlineMs ?? 3000);
    this.gateway = new FakeGateway(
      this.world,
      { heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250, token: options.token ?? null, allowedPrivilegedIntents: options.allowedPrivilegedIntents ?? 0 },
      notify,
    );
    const routes = discordRoutes({
      world: this.world,
      interactions: this.interactions,
      gatewayUrl: () => this.gatewayUrl,
      gatewayBot: { shards: options.shards ?? 1, maxConcurrency: options.maxConcurrency ?? 1 },
    });
    this.rest = new FakeRest(routes, options.token ?? null, notify);
    this.world.onMessageEvent = (kind, message) => this.echoMessageEvent(kind, message);
    const { port } = server.address() as AddressInfo;
    this.restBase = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}${GATEWAY_PATH}`;
    this.gateway.setOrigin(`ws://127.0.0.1:${port}`);
    server.on('request', (req, res) => void this.rest.handle(req, res).catch((error: unknown) => this.failRequest(res, error)));
    server.on('upgrade', (req, socket, head: Buffer) => {
      if (!this.gateway.handleUpgrade(req, socket, head)) socket.destroy();
    });
  }

  /** Starts the server on an ephemeral port of 127.0.0.1. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new FakeDiscord(server, options);
  }

  get applicationId(): string {
    return this.world.applicationId;
  }

  /** Equal to `applicationId`, as for every bot application created since 2020. */
  get botUserId(): string {
    return this.world.botUser.id;
  }

  get guildId(): string {
    return this.world.guildId;
  }

  /** The second server's id (FakeDiscordOptions.secondGuildName), else undefined. */
  get secondGuildId(): string | undefined {
    return this.world.secondGuildId;
  }

  get channelId(): string {
    return this.world.channel.id;
  }

  /** The member interactions and messages come from unless a test says otherwise. */
  get defaultUserId(): string {
    return this.world.defaultUserId;
  }

  roleId(name: string): string {
    return this.world.roleId(name);
  }

  // --- REST records and faults ----------------------------------------------------------------

  /** Every REST request so far, in arrival order, with the response it got. */
  get requests(): readonly RecordedRequest[] {
    return this.rest.requests;
  }

  /** Requests that matched no known route (answered 404); a correct bot leaves this empty. */
  get unhandledRequests(): readonly RecordedRequest[] {
    return this.rest.requests.filter((r) => r.route === null && !r.injectedFault);
  }

  /** Resolves with the first request (already logged or future) matching `predicate`. */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest> {
    return this.waitUntil(() => this.rest.requests.find(predicate), 'a matching REST request', timeoutMs);
  }

  /**
   * Makes the next `times` requests matching `matcher` fail with `status` before reaching their route
   * (so a retried request then succeeds). `matcher` is a predicate or `{ method?, path }`, `path`
   * being the API path without `/api/v10` (a string or a RegExp).
   */
  failNext(matcher: RequestMatcher, fault: FaultSpec): FaultHandle {
    return this.rest.failNext(matcher, fault);
  }

  /** Holds the next `times` requests matching `matcher` for `spec.ms` (e.g. a slow interaction callback). */
  delayNext(matcher: RequestMatcher, spec: DelaySpec): DelayHandle {
    return this.rest.delayNext(matcher, spec);
  }

  /** The application commands registered with bulk overwrite / create, per scope. */
  commands(scope: CommandScope = 'global'): readonly APIApplicationCommand[] {
    return this.world.commands[scope];
  }

  // --- gateway records and controls -----------------------------------------------------------

  get identifyCount(): number {
    return this.gateway.identifies.length;
  }

  get resumeCount(): number {
    return this.gateway.resumes.length;
  }

  /** Resolves once `count` IDENTIFYs have been received in total. */
  waitForIdentify(count = 1, timeoutMs?: number): Promise<IdentifyRecord> {
    return this.waitUntil(() => this.gateway.identifies[count - 1], `IDENTIFY #${count}`, timeoutMs);
  }

  /** Resolves once `count` RESUMEs have been received in total (accepted or not, see `.accepted`). */
  waitForResume(count = 1, timeoutMs?: number): Promise<ResumeRecord> {
    return this.waitUntil(() => this.gateway.resumes[count - 1], `RESUME #${count}`, timeoutMs);
  }

  /** The presence the bot last set (op 3 PRESENCE_UPDATE, or IDENTIFY's `presence`), or null. */
  lastPresence(): GatewayPresenceUpdateData | null {
    return this.gateway.presences.at(-1)?.presence ?? null;
  }

  waitForPresence(predicate: (presence: GatewayPresenceUpdateData) => boolean = () => true, timeoutMs?: number): Promise<GatewayPresenceUpdateData> {
    const check = () => {
      const presence = this.lastPresence();
      return presence && predicate(presence) ? presence : undefined;
    };
    return this.waitUntil(check, 'a matching presence update', timeoutMs);
  }

  /**
   * Closes the bot's socket (default code 4000, which discord.js resumes after) or resets it ('terminate').
   * `shard` picks a sharded bot's connection (default: the guild's shard).
   */
  dropConnection(mode?: DropMode, shard?: number): void {
    this.gateway.dropConnection(mode, shard);
  }

  /** Sends op 9 INVALID_SESSION with `d: resumable`. */
  invalidateSession(resumable: boolean, shard?: number): void {
    this.gateway.invalidateSession(resumable, shard);
  }

  /** Sends op 7 RECONNECT. */
  requestReconnect(shard?: number): void {
    this.gateway.requestReconnect(shard);
  }

  // --- driving the bot ------------------------------------------------------------------------

  /**
   * Dispatches INTERACTION_CREATE as a user's slash command, autocomplete or button click. Waits for
   * the bot to have a gateway session first; while its socket is down the event is replayed on RESUME.
   */
  async sendInteraction(spec: InteractionSpec, timeoutMs?: number): Promise<InteractionHandle> {
    // Like Discord, a server's events go to its own shard unless a test picks one.
    const shard = spec.shard ?? (spec.guildId === undefined ? undefined : shardOfGuild(spec.guildId, this.gateway.shardCount));
    await this.waitForSession(timeoutMs, shard);
    const { kind, payload } = buildInteraction(this.world, spec);
    const record = this.interactions.add(kind, payload);
    const delivery = this.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload, undefined, shard);
    return new InteractionHandle(record, delivery, this.waitFn());
  }

  /**
   * Dispatches MESSAGE_CREATE for a user's message in the channel. Like Discord, it needs the
   * GuildMessages intent, and the content is blanked without MessageContent unless the bot is mentioned.
   */
  async sendMessage(spec: MessageSpec, timeoutMs?: number): Promise<MessageHandle> {
    const intents = await this.waitForSession(timeoutMs);
    const { message, dispatch } = buildUserMessage(this.world, spec);
    const delivery = this.gateway.dispatch(GatewayDispatchEvents.MessageCreate, withheldContent(this.world, dispatch, intents), GatewayIntentBits.GuildMessages);
    return new MessageHandle(message, delivery, () => this.channelMessages(), this.waitFn());
  }

  /** Messages the bot created with POST /channels/:id/messages, oldest first. */
  channelMessages(): APIMessage[] {
    return this.rest.requests.filter((r) => r.route === 'POST /channels/:channelId/messages' && r.status === 200).map((r) => r.response as APIMessage);
  }

  /** Resolves with the first message (already posted or future) the bot POSTs to a channel matching `predicate`. */
  waitForChannelMessage(predicate: (message: APIMessage) => boolean = () => true, timeoutMs?: number): Promise<APIMessage> {
    return this.waitUntil(() => this.channelMessages().find(predicate), 'a bot message in the channel', timeoutMs);
  }

  /** Throws if the bot made unknown requests, broke the gateway protocol, or the fake itself failed. */
  assertNoSurprises(): void {
    const problems = [
      ...this.unhandledRequests.map((r) => `unknown route: ${r.method} ${r.path}`),
      ...this.gateway.protocolErrors.map((e) => `gateway protocol error: ${e}`),
      ...this.rest.internalErrors.map((e) => `fake-discord internal error: ${e}`),
    ];
    if (problems.length > 0) throw new Error(`FakeDiscord saw unexpected traffic:\n${problems.join('\n')}`);
  }

  /** Stops the server: rejects pending waits, resets open sockets. Destroy the discord.js Client first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.waiter.close('FakeDiscord was closed');
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private waitUntil<T>(check: Check<T>, what: string, timeoutMs?: number): Promise<T> {
    return this.waiter.until(check, timeoutMs ?? this.defaultTimeoutMs, what);
  }

  private waitFn() {
    return <T>(check: Check<T>, what: string, timeoutMs?: number) => this.waitUntil(check, what, timeoutMs);
  }

  private waitForSession(timeoutMs?: number, shard?: number): Promise<number> {
    const intents = () => (shard === undefined ? this.gateway.currentIntents : this.gateway.intentsOf(shard)) ?? undefined;
    return this.waitUntil(intents, `the bot to IDENTIFY on the gateway${shard === undefined ? '' : ` as shard ${shard}`}`, timeoutMs);
  }

  /** Discord echoes the bot's own (non-ephemeral) messages to it over the gateway. */
  private echoMessageEvent(kind: MessageEventKind, message: APIMessage): void {
    const data = kind === 'delete' ? { id: message.id, channel_id: message.channel_id, guild_id: this.world.guildId } : messageDispatch(this.world, message);
    this.gateway.dispatchIfSession(DISPATCH_FOR_MESSAGE_EVENT[kind], data, GatewayIntentBits.GuildMessages);
  }

  private failRequest(res: ServerResponse, error: unknown): void {
    this.rest.internalErrors.push(`request handling failed: ${String(error)}`);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'fake-discord internal error', code: 0 }));
  }

  private describeState(): string {
    const recent = this.rest.requests.slice(-8).map((r) => `  ${r.method} ${r.path} → ${r.status}${r.injectedFault ? ' (injected)' : ''}`);
    const gateway = this.gateway;
    const lines = [
      `REST: ${this.rest.requests.length} request(s)${recent.length ? ', latest:' : ''}`,
      ...recent,
      `Gateway: ${gateway.connections.length} connection(s), ${gateway.identifies.length} IDENTIFY, ${gateway.resumes.length} RESUME, connected: ${gateway.isConnected}`,
      ...gateway.protocolErrors.map((e) => `  protocol error: ${e}`),
      ...this.rest.internalErrors.map((e) => `  internal error: ${e}`),
    ];
    return lines.join('\n');
  }
}
