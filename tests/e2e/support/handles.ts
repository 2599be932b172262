/**
 * What `sendInteraction` and `sendMessage` return: the dispatched payload plus promises for the bot's
 * reaction to it. Every wait has a timeout that rejects with what the fake saw instead.
 */
import { InteractionResponseType, MessageFlags } from 'discord.js';
import type { APIInteraction, APIMessage } from 'discord.js';
import type { DispatchOutcome } from './gateway.js';
import type { CallbackData, InteractionRecord, RecordedCallback } from './interactions.js';
import type { Check } from './waiter.js';

/** Waits for `check` to return a value, rejecting after `timeoutMs` (the fake's default if omitted). */
export type WaitFn = <T>(check: Check<T>, what: string, timeoutMs?: number) => Promise<T>;

const DEFERRED_CALLBACKS: readonly InteractionResponseType[] = [
  InteractionResponseType.DeferredChannelMessageWithSource,
  InteractionResponseType.DeferredMessageUpdate,
];

export class InteractionHandle {
  constructor(
    private readonly record: InteractionRecord,
    /** 'sent' on an open socket, 'buffered' if the bot was disconnected (replayed on RESUME). */
    readonly delivery: DispatchOutcome,
    private readonly wait: WaitFn,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get token(): string {
    return this.record.token;
  }

  /** The INTERACTION_CREATE data as dispatched. */
  get payload(): APIInteraction {
    return this.record.payload;
  }

  /** Resolves with the bot's initial response (POST /interactions/:id/:token/callback). */
  callback(timeoutMs?: number): Promise<RecordedCallback> {
    return this.wait(() => this.record.callback ?? undefined, `the callback of interaction ${this.describe()}`, timeoutMs);
  }

  /**
   * Resolves with the original response message once it has content: at once for a plain reply,
   * after the first edit (or follow-up) for a deferred one. Use `waitForOriginal` for later edits.
   */
  original(timeoutMs?: number): Promise<APIMessage> {
    return this.wait(() => this.settledOriginal(), `the original response of interaction ${this.describe()}`, timeoutMs);
  }

  /** Resolves when the original response satisfies `predicate` (e.g. a progress message was replaced). */
  waitForOriginal(predicate: (message: APIMessage) => boolean, timeoutMs?: number): Promise<APIMessage> {
    const check = () => {
      const current = this.settledOriginal();
      return current && predicate(current) ? current : undefined;
    };
    return this.wait(check, `the original response of interaction ${this.describe()} to match`, timeoutMs);
  }

  /** Resolves with the follow-up messages once there are at least `count` of them. */
  followUps(count = 1, timeoutMs?: number): Promise<APIMessage[]> {
    const check = () => (this.record.followUps.length >= count ? [...this.record.followUps] : undefined);
    return this.wait(check, `${count} follow-up(s) of interaction ${this.describe()}`, timeoutMs);
  }

  /** Autocomplete: resolves with the choices the bot offered. */
  async choices(timeoutMs?: number): Promise<NonNullable<CallbackData['choices']>> {
    const callback = await this.callback(timeoutMs);
    if (callback.type !== InteractionResponseType.ApplicationCommandAutocompleteResult) {
      throw new Error(`FakeDiscord: interaction ${this.describe()} was answered with callback type ${callback.type}, not autocomplete choices`);
    }
    return callback.data.choices ?? [];
  }

  private settledOriginal(): APIMessage | undefined {
    const { callback, original, originalEdits } = this.record;
    if (!callback || !original) return undefined;
    if (DEFERRED_CALLBACKS.includes(callback.type) && originalEdits.length === 0) return undefined;
    if (((original.flags ?? 0) & MessageFlags.Loading) !== 0) return undefined;
    return original;
  }

  private describe(): string {
    const data = this.record.payload.data;
    const label = data && 'name' in data ? `/${data.name}` : data && 'custom_id' in data ? `button ${data.custom_id}` : this.record.kind;
    return `${this.record.id} (${label})`;
  }
}

export class MessageHandle {
  constructor(
    /** The message as sent by the user (full content). */
    readonly message: APIMessage,
    /** 'filtered' when the bot lacks the intent to receive it (e.g. no GuildMessages). */
    readonly delivery: DispatchOutcome,
    private readonly botMessages: () => readonly APIMessage[],
    private readonly wait: WaitFn,
  ) {}

  get id(): string {
    return this.message.id;
  }

  /** Resolves with the bot's message that replies to this one (`message_reference` to it). */
  reply(timeoutMs?: number): Promise<APIMessage> {
    const check = () => this.botMessages().find((m) => m.message_reference?.message_id === this.message.id);
    return this.wait(check, `a bot reply to message ${this.message.id} ("${this.message.content.slice(0, 60)}")`, timeoutMs);
  }
}
