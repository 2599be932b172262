/**
 * Interaction responses as Discord processes them: the initial callback (once, within the deadline),
 * then the interaction webhook (`/webhooks/:app/:token`) for editing the original and follow-ups.
 */
import { InteractionResponseType, InteractionType, MessageFlags, MessageReferenceType, MessageType } from 'discord.js';
import type { APIEmbed, APIInteraction, APIMessage } from 'discord.js';
import { snowflake } from './ids.js';
import { DiscordApiError, invalidFormBody, isRecord, parseMessageBody, requireNonEmpty } from './message-body.js';
import * as build from './payloads.js';
import type { World } from './world.js';

export type InteractionKind = 'command' | 'autocomplete' | 'component';

/** The `data` of an interaction callback; typed loosely because its shape depends on `type`. */
export interface CallbackData {
  content?: string;
  flags?: number;
  embeds?: APIEmbed[];
  components?: unknown[];
  choices?: Array<{ name: string; value: string | number }>;
  [field: string]: unknown;
}

export interface RecordedCallback {
  type: InteractionResponseType;
  data: CallbackData;
  time: number;
  /** Whether the bot asked for `?with_response=true` (discord.js sends `false` by default). */
  withResponse: boolean;
}

export interface InteractionRecord {
  readonly id: string;
  readonly token: string;
  readonly kind: InteractionKind;
  readonly createdAt: number;
  readonly payload: APIInteraction;
  callback: RecordedCallback | null;
  /** The response message (for components: the message the component is on, which @original edits). */
  original: APIMessage | null;
  /** The original message after each PATCH of @original, oldest first. */
  originalEdits: APIMessage[];
  followUps: APIMessage[];
}

/** Which callback types Discord accepts for which interaction. */
const ALLOWED_CALLBACKS: Record<InteractionKind, readonly InteractionResponseType[]> = {
  command: [InteractionResponseType.ChannelMessageWithSource, InteractionResponseType.DeferredChannelMessageWithSource, InteractionResponseType.Modal],
  autocomplete: [InteractionResponseType.ApplicationCommandAutocompleteResult],
  component: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
};

const AUTOCOMPLETE_MAX_CHOICES = 25;

export class InteractionStore {
  private readonly byToken = new Map<string, InteractionRecord>();

  /** @param deadlineMs Discord drops interactions not acknowledged within 3 s. */
  constructor(
    private readonly world: World,
    private readonly deadlineMs: number,
  ) {}

  add(kind: InteractionKind, payload: APIInteraction): InteractionRecord {
    const record: InteractionRecord = {
      id: payload.id,
      token: payload.token,
      kind,
      createdAt: Date.now(),
      payload,
      callback: null,
      original: kind === 'component' && 'message' in payload && payload.message ? payload.message : null,
      originalEdits: [],
      followUps: [],
    };
    this.byToken.set(record.token, record);
    return record;
  }

  /** POST /interactions/:id/:token/callback. Returns the `with_response` body, or null for 204. */
  acknowledge(id: string, token: string, raw: unknown, withResponse: boolean): Record<string, unknown> | null {
    const record = this.byToken.get(token);
    if (!record || record.id !== id) throw new DiscordApiError(404, 10062, 'Unknown interaction');
    if (record.callback) throw new DiscordApiError(400, 40060, 'Interaction has already been acknowledged.');
    if (Date.now() - record.createdAt > this.deadlineMs) throw new DiscordApiError(404, 10062, 'Unknown interaction');
    if (!isRecord(raw) || typeof raw.type !== 'number') throw invalidFormBody('type', 'BASE_TYPE_REQUIRED', 'This field is required');
    const type = raw.type as InteractionResponseType;
    if (!ALLOWED_CALLBACKS[record.kind].includes(type)) {
      throw invalidFormBody('type', 'INTERACTION_RESPONSE_TYPE_INVALID', `Interaction response type ${type} is not valid for this interaction`);
    }
    const data: CallbackData = isRecord(raw.data) ? raw.data : {};
    this.applyCallback(record, type, data);
    record.callback = { type, data, time: Date.now(), withResponse };
    return withResponse ? this.callbackResponse(record, type) : null;
  }

  /** GET /webhooks/:app/:token/messages/:id */
  getMessage(appId: string, token: string, messageId: string): APIMessage {
    const record = this.requireWebhook(appId, token);
    return this.requireWebhookMessage(record, messageId);
  }

  /** PATCH /webhooks/:app/:token/messages/:id */
  editMessage(appId: string, token: string, messageId: string, raw: unknown, fileCount: number): APIMessage {
    const record = this.requireWebhook(appId, token);
    const existing = this.requireWebhookMessage(record, messageId);
    const edited = this.world.editBotMessage(existing, raw, fileCount);
    this.replaceMessage(record, edited);
    if (edited.id === record.original?.id) record.originalEdits.push(edited);
    return edited;
  }

  /** DELETE /webhooks/:app/:token/messages/:id */
  deleteMessage(appId: string, token: string, messageId: string): void {
    const record = this.requireWebhook(appId, token);
    const existing = this.requireWebhookMessage(record, messageId);
    this.world.deleteMessage(existing);
    if (existing.id === record.original?.id) record.original = null;
    record.followUps = record.followUps.filter((m) => m.id !== existing.id);
  }

  /**
   * POST /webhooks/:app/:token. As on Discord, the first follow-up after a deferred reply takes the
   * place of the "thinking…" message (keeping the defer's ephemerality) instead of adding a new one.
   */
  followUp(appId: string, token: string, raw: unknown, fileCount: number): APIMessage {
    const record = this.requireWebhook(appId, token);
    const original = record.original;
    if (original && ((original.flags ?? 0) & MessageFlags.Loading) !== 0) {
      const replaced = this.world.editBotMessage(original, raw, fileCount);
      record.original = replaced;
      record.originalEdits.push(replaced);
      record.followUps.push(replaced);
      return replaced;
    }
    const body = parseMessageBody(raw);
    requireNonEmpty(body, fileCount);
    const created = this.responseMessage(record, body, original);
    this.world.storeMessage(created);
    record.followUps.push(created);
    return created;
  }

  private applyCallback(record: InteractionRecord, type: InteractionResponseType, data: CallbackData): void {
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const body = parseMessageBody(data, 'data');
        requireNonEmpty(body, 0);
        this.setOriginal(record, this.responseMessage(record, body, null));
        return;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const flags = MessageFlags.Loading | ((data.flags ?? 0) & MessageFlags.Ephemeral);
        this.setOriginal(record, this.responseMessage(record, { content: '', flags }, null));
        return;
      }
      case InteractionResponseType.UpdateMessage: {
        if (!record.original) throw new DiscordApiError(404, 10008, 'Unknown Message');
        const updated = this.world.editBotMessage(record.original, data);
        record.original = updated;
        record.originalEdits.push(updated);
        return;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
        validateChoices(data);
        return;
      default:
        // DeferredMessageUpdate and Modal change nothing visible until the bot's next request.
        return;
    }
  }

  private setOriginal(record: InteractionRecord, original: APIMessage): void {
    record.original = original;
    this.world.storeMessage(original);
  }

  private responseMessage(record: InteractionRecord, body: { content?: string; flags?: number; embeds?: APIEmbed[]; components?: unknown[] }, repliesTo: APIMessage | null): APIMessage {
    const fromCommand = record.payload.type === InteractionType.ApplicationCommand;
    const built = build.message({
      id: snowflake(),
      channelId: this.world.channel.id,
      author: this.world.botUser,
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      components: (body.components ?? []) as APIMessage['components'],
      flags: (body.flags ?? 0) & (MessageFlags.Ephemeral | MessageFlags.Loading | MessageFlags.SuppressEmbeds),
      type: repliesTo ? MessageType.Reply : fromCommand ? MessageType.ChatInputCommand : MessageType.Default,
      mentions: this.world.mentionedUsers(body.content ?? '', null),
      webhookId: this.world.applicationId,
      applicationId: this.world.applicationId,
      ...(repliesTo
        ? { messageReference: { type: MessageReferenceType.Default, channel_id: repliesTo.channel_id, guild_id: this.world.guildId, message_id: repliesTo.id } }
        : {}),
    });
    const metadata = { id: record.id, user: record.payload.member?.user ?? this.world.owner, authorizing_integration_owners: { 0: this.world.guildId } };
    const sourceMessageId = record.payload.type === InteractionType.MessageComponent ? record.payload.message.id : null;
    built.interaction_metadata =
      sourceMessageId === null
        ? { ...metadata, type: InteractionType.ApplicationCommand }
        : { ...metadata, type: InteractionType.MessageComponent, interacted_message_id: sourceMessageId };
    return built;
  }

  private callbackResponse(record: InteractionRecord, type: InteractionResponseType): Record<string, unknown> {
    const original = record.original;
    const createsMessage = type === InteractionResponseType.ChannelMessageWithSource || type === InteractionResponseType.DeferredChannelMessageWithSource || type === InteractionResponseType.UpdateMessage;
    const interaction = {
      id: record.id,
      type: record.payload.type,
      ...(createsMessage && original
        ? {
            response_message_id: original.id,
            response_message_loading: ((original.flags ?? 0) & MessageFlags.Loading) !== 0,
            response_message_ephemeral: ((original.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
          }
        : {}),
    };
    return { interaction, resource: { type, ...(createsMessage && original ? { message: original } : {}) } };
  }

  /** The interaction webhook exists once the interaction was acknowledged (and for 15 minutes). */
  private requireWebhook(appId: string, token: string): InteractionRecord {
    const record = this.byToken.get(token);
    if (!record || appId !== this.world.applicationId || !record.callback) throw new DiscordApiError(404, 10015, 'Unknown Webhook');
    return record;
  }

  private requireWebhookMessage(record: InteractionRecord, messageId: string): APIMessage {
    const wanted = messageId === '@original' ? record.original?.id : messageId;
    const found = [record.original, ...record.followUps].find((m) => m !== null && m.id === wanted);
    if (!found) throw new DiscordApiError(404, 10008, 'Unknown Message');
    return found;
  }

  private replaceMessage(record: InteractionRecord, edited: APIMessage): void {
    if (record.original?.id === edited.id) record.original = edited;
    record.followUps = record.followUps.map((m) => (m.id === edited.id ? edited : m));
  }
}

function validateChoices(data: CallbackData): void {
  const choices = data.choices;
  if (!Array.isArray(choices)) throw invalidFormBody('data.choices', 'BASE_TYPE_REQUIRED', 'This field is required');
  if (choices.length > AUTOCOMPLETE_MAX_CHOICES) {
    throw invalidFormBody('data.choices', 'BASE_TYPE_MAX_LENGTH', `Must be ${AUTOCOMPLETE_MAX_CHOICES} or fewer in length.`);
  }
  choices.forEach((choice, index) => {
    const name: unknown = isRecord(choice) ? choice.name : undefined;
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
      throw invalidFormBody(`data.choices.${index}.name`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
  });
}
