/** Plain fakes for the Discord layer tests: a Library and interactions that record what was sent. */
import { Writable } from 'node:stream';
import {
  PermissionFlagsBits,
  PermissionsBitField,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
} from 'discord.js';
import type { Config } from '../../src/config';
import { Cooldown } from '../../src/discord/cooldown';
import type { Reply } from '../../src/discord/render';
import type { BotContext } from '../../src/discord/types';
import { createLogger } from '../../src/logger';
import { oneLibraryForEveryServer } from '../../src/sources/server-libraries';
import { resolveSourceName } from '../../src/sources/source-names';
import type { Answer, AskOptions, SourceInfo, Summary, SummaryOptions } from '../../src/engine/types';
import {
  UnknownSourceError,
  type AddedSource,
  type ChangeCause,
  type ChangeListener,
  type SourceLookup,
  type CorpusCounts,
  type Library,
  type NewSource,
  type ReloadReport,
  type SourceActor,
  type UploadedFile,
} from '../../src/sources/library-types';

export const BOT_ID = '100000000000000001';
export const GUILD_ID = '200000000000000002';
export const USER_ID = '300000000000000003';
export const MOD_ROLE = '400000000000000004';

export const LOADED_AT = new Date('2024-05-01T12:00:00Z');

export function source(id: string, title: string, sentences = 25, url?: string): SourceInfo {
  return { id, title, sentences, loadedAt: LOADED_AT, ...(url !== undefined ? { url } : {}) };
}

export const DEFAULT_SOURCES: SourceInfo[] = [
  source('000_kim.txt', 'Kim Jong-un writes "very warm" letter to Trump', 25, 'https://example.com/news/kim-letter'),
  source('001_rates.txt', 'Central bank holds rates', 12),
];

export class FakeLibrary implements Library {
  calls: { method: string; args: unknown[] }[] = [];
  answer: Answer | ((question: string, options?: AskOptions) => Answer) = {
    question: '',
    answered: true,
    confident: true,
    hits: [],
  };
  summaries: Summary[] = [];
  reloadReport: ReloadReport = {
    ok: true,
    before: { sources: 2, sentences: 37 },
    after: { sources: 3, sentences: 50 },
    skipped: [],
    durationMs: 120,
  };
  reloadError: Error | undefined;

  constructor(public sourceList: SourceInfo[] = DEFAULT_SOURCES.slice()) {}

  ask(question: string, options?: AskOptions): Answer {
    this.calls.push({ method: 'ask', args: [question, options] });
    if (options?.source !== undefined && !this.sourceList.some((s) => s.id === options.source)) {
      throw new UnknownSourceError(options.source);
    }
    return typeof this.answer === 'function' ? this.answer(question, options) : { ...this.answer, question };
  }

  summarize(options?: SummaryOptions): Summary[] {
    this.calls.push({ method: 'summarize', args: [options] });
    if (options?.source !== undefined) {
      if (!this.sourceList.some((s) => s.id === options.source)) throw new UnknownSourceError(options.source);
      return this.summaries.filter((s) => s.source === options.source);
    }
    return this.summaries;
  }

  sources(): SourceInfo[] {
    return this.sourceList;
  }

  resolveSource(name: string): SourceLookup {
    this.calls.push({ method: 'resolveSource', args: [name] });
    return resolveSourceName(this.sources(), name);
  }

  suggestSources(query: string, limit = 25): SourceInfo[] {
    this.calls.push({ method: 'suggestSources', args: [query, limit] });
    const q = query.toLowerCase();
    return this.sourceList.filter((s) => s.id.toLowerCase().includes(q) || s.title.toLowerCase().includes(q)).slice(0, limit);
  }

  async reload(cause?: ChangeCause): Promise<ReloadReport> {
    this.calls.push({ method: 'reload', args: cause === undefined ? [] : [cause] });
    if (this.reloadError) throw this.reloadError;
    return this.reloadReport;
  }

  counts(): CorpusCounts {
    return { sources: this.sourceList.length, sentences: this.sourceList.reduce((n, s) => n + s.sentences, 0) };
  }

  /** What addSource returns (or throws when an Error). */
  addResult: AddedSource | Error = { source: source('002_added.md', 'Added article', 4), firstSentences: ['First.'], replaced: false };

  async addSource(input: NewSource): Promise<AddedSource> {
    this.calls.push({ method: 'addSource', args: [input] });
    if (this.addResult instanceof Error) throw this.addResult;
    return this.addResult;
  }

  async addFromUrl(url: string, addedBy: SourceActor): Promise<AddedSource> {
    this.calls.push({ method: 'addFromUrl', args: [url, addedBy] });
    if (this.addResult instanceof Error) throw this.addResult;
    return this.addResult;
  }

  /** What uploadProblem answers. */
  uploadRefusal: string | undefined;

  uploadProblem(file: UploadedFile): string | undefined {
    this.calls.push({ method: 'uploadProblem', args: [file] });
    return this.uploadRefusal;
  }

  async addFromUpload(file: UploadedFile, addedBy: SourceActor): Promise<AddedSource> {
    this.calls.push({ method: 'addFromUpload', args: [file, addedBy] });
    if (this.addResult instanceof Error) throw this.addResult;
    return this.addResult;
  }

  readonly listeners = new Set<ChangeListener>();

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async removeSource(id: string, removedBy: SourceActor): Promise<SourceInfo> {
    this.calls.push({ method: 'removeSource', args: [id, removedBy] });
    const found = this.sourceList.find((s) => s.id === id);
    if (!found) throw new UnknownSourceError(id);
    this.sourceList = this.sourceList.filter((s) => s.id !== id);
    return found;
  }
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { sourcesDir: 'seeds', logLevel: 'info', moderatorRoleIds: [MOD_ROLE], askCooldownSeconds: 0, ...overrides };
}

/** A logger writing JSON lines into `lines`. */
export function memoryLogger(secrets: string[] = []) {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      const text = String(chunk);
      raw.push(text);
      for (const line of text.split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const logger = createLogger('debug', { destination, secrets });
  return { logger, lines, raw };
}

export function testContext(library: Library = new FakeLibrary(), overrides: Partial<BotContext> = {}) {
  const { logger, lines } = memoryLogger();
  const config = overrides.config ?? testConfig();
  const ctx: BotContext = {
    library,
    servers: oneLibraryForEveryServer(library, config.moderatorRoleIds),
    moderatorRoleIds: config.moderatorRoleIds,
    config,
    logger,
    cooldown: new Cooldown(0),
    ...overrides,
  };
  return { ctx, logLines: lines };
}

export interface RecordedCall {
  method: 'reply' | 'deferReply' | 'editReply' | 'followUp' | 'update' | 'respond';
  payload: unknown;
}

export interface MemberSpec {
  userId?: string;
  /** Permission bits of the member (raw API string form is used on `member`). */
  permissions?: bigint;
  roles?: string[];
  inGuild?: boolean;
}

const BASE_PERMISSIONS = PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel;
export const MANAGE_GUILD = BASE_PERMISSIONS | PermissionFlagsBits.ManageGuild;

function baseInteraction(kind: 'command' | 'autocomplete' | 'button', spec: MemberSpec) {
  const calls: RecordedCall[] = [];
  const permissions = spec.permissions ?? BASE_PERMISSIONS;
  const inGuild = spec.inGuild ?? true;
  const state = { replied: false, deferred: false, responded: false };
  const fake = {
    id: `9${Math.floor(Math.random() * 1e17)}`.padEnd(18, '0'),
    calls,
    user: { id: spec.userId ?? USER_ID, bot: false },
    guildId: inGuild ? GUILD_ID : null,
    member: inGuild
      ? { user: { id: spec.userId ?? USER_ID }, roles: spec.roles ?? [], permissions: permissions.toString() }
      : null,
    memberPermissions: inGuild ? new PermissionsBitField(permissions).freeze() : null,
    client: { user: { id: BOT_ID, username: 'ArticleBot' } },
    get replied() {
      return state.replied;
    },
    get deferred() {
      return state.deferred;
    },
    get responded() {
      return state.responded;
    },
    inGuild: () => inGuild,
    isAutocomplete: () => kind === 'autocomplete',
    isChatInputCommand: () => kind === 'command',
    isButton: () => kind === 'button',
    failNext: undefined as undefined | { method: RecordedCall['method']; error: Error },
  };
  const record = (method: RecordedCall['method']) => async (payload?: unknown) => {
    if (fake.failNext?.method === method) {
      const { error } = fake.failNext;
      fake.failNext = undefined;
      throw error;
    }
    calls.push({ method, payload });
    if (method === 'reply' || method === 'update') state.replied = true;
    if (method === 'deferReply') state.deferred = true;
    if (method === 'editReply' && state.deferred) state.replied = true;
    if (method === 'respond') state.responded = true;
    return undefined;
  };
  return {
    fake,
    methods: {
      reply: record('reply'),
      deferReply: record('deferReply'),
      editReply: record('editReply'),
      followUp: record('followUp'),
      update: record('update'),
      respond: record('respond'),
    },
  };
}

export type FakeCommand = ChatInputCommandInteraction & { calls: RecordedCall[]; failNext?: { method: RecordedCall['method']; error: Error } };

export function fakeCommand(
  commandName: string,
  options: Record<string, string | number | undefined> = {},
  spec: MemberSpec = {},
): FakeCommand {
  const { fake, methods } = baseInteraction('command', spec);
  const get = (name: string, required?: boolean) => {
    const v = options[name];
    if (v === undefined && required) throw new Error(`required option ${name} missing`);
    return v ?? null;
  };
  return Object.assign(fake, methods, {
    commandName,
    options: {
      getString: (name: string, required?: boolean) => get(name, required) as string | null,
      getInteger: (name: string, required?: boolean) => get(name, required) as number | null,
    },
  }) as unknown as FakeCommand;
}

export type FakeAutocomplete = AutocompleteInteraction & { calls: RecordedCall[] };

export function fakeAutocomplete(commandName: string, focusedName: string, value: string): FakeAutocomplete {
  const { fake, methods } = baseInteraction('autocomplete', {});
  return Object.assign(fake, methods, {
    commandName,
    options: { getFocused: () => ({ name: focusedName, value, focused: true, type: 3 }) },
  }) as unknown as FakeAutocomplete;
}

export type FakeButton = ButtonInteraction & { calls: RecordedCall[] };

/** A press of `customId` on a message whose components carry `messageCustomIds` (by default the pressed one). */
export function fakeButton(customId: string, messageCustomIds: string[] = [customId]): FakeButton {
  const { fake, methods } = baseInteraction('button', {});
  const message = {
    id: '1300000000000000001',
    resolveComponent: (id: string) => (messageCustomIds.includes(id) ? { customId: id } : null),
  };
  return Object.assign(fake, methods, { customId, message }) as unknown as FakeButton;
}

export function asInteraction(i: FakeCommand | FakeAutocomplete | FakeButton): Interaction {
  return i as unknown as Interaction;
}

/** A guild message; `mentionsBot` puts the bot in mentions.users (as Discord does for `<@id>`). */
export function fakeMessage(
  content: string,
  opts: { mentionsBot?: boolean; bot?: boolean; everyone?: boolean; inGuild?: boolean; authorId?: string; roles?: string[] } = {},
) {
  const replies: unknown[] = [];
  const users = new Map<string, unknown>();
  if (opts.mentionsBot ?? true) users.set(BOT_ID, { id: BOT_ID });
  const message = {
    id: '500000000000000005',
    channelId: '600000000000000006',
    content,
    webhookId: null,
    author: { id: opts.authorId ?? USER_ID, bot: opts.bot ?? false },
    member: {
      permissions: new PermissionsBitField(BASE_PERMISSIONS),
      roles: { cache: new Map((opts.roles ?? []).map((r) => [r, { id: r }])) },
    },
    mentions: { users, everyone: opts.everyone ?? false },
    client: { user: { id: BOT_ID, username: 'ArticleBot' } },
    inGuild: () => opts.inGuild ?? true,
    reply: async (payload: unknown) => {
      replies.push(payload);
      return {};
    },
  };
  return { message: message as unknown as Message, replies };
}

export function firstPayload(i: { calls: RecordedCall[] }, method?: RecordedCall['method']): Reply & { flags?: number } {
  const call = method ? i.calls.find((c) => c.method === method) : i.calls[0];
  if (!call) throw new Error(`no ${method ?? ''} call recorded`);
  return call.payload as Reply & { flags?: number };
}
