/**
 * Validation of the message bodies the bot sends (channel messages, interaction responses, webhook
 * messages), with the same limits and error shapes as Discord, so that an answer that would be
 * rejected in production (too long, empty) is rejected in the end-to-end tests too.
 */
import type { APIEmbed, APIMessageReference, APIMessageTopLevelComponent } from 'discord.js';

/** A Discord JSON error: `{ message, code, errors? }` with an HTTP status. */
export class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
  }

  toBody(): Record<string, unknown> {
    return this.errors ? { message: this.message, code: this.code, errors: this.errors } : { message: this.message, code: this.code };
  }
}

export const CONTENT_MAX_LENGTH = 2000;
const EMBEDS_MAX = 10;
const EMBED_TOTAL_MAX = 6000;
const EMBED_DESCRIPTION_MAX = 4096;
const EMBED_TITLE_MAX = 256;

/** The fields of a message create/edit body that the fake interprets; the rest is only recorded. */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  message_reference?: APIMessageReference & { fail_if_not_exists?: boolean };
  attachments?: unknown[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Discord's "Invalid Form Body" (50035) with one field error. */
export function invalidFormBody(field: string, code: string, message: string): DiscordApiError {
  return new DiscordApiError(400, 50035, 'Invalid Form Body', { [field]: { _errors: [{ code, message }] } });
}

export function parseMessageBody(raw: unknown, field = ''): MessageBody {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw invalidFormBody(field || '_root', 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
  const body: MessageBody = {};
  if (raw.content !== undefined && raw.content !== null) body.content = String(raw.content);
  if (Array.isArray(raw.embeds)) body.embeds = raw.embeds as APIEmbed[];
  if (Array.isArray(raw.components)) body.components = raw.components as APIMessageTopLevelComponent[];
  if (typeof raw.flags === 'number') body.flags = raw.flags;
  if (isRecord(raw.message_reference)) body.message_reference = raw.message_reference as unknown as MessageBody['message_reference'];
  if (Array.isArray(raw.attachments)) body.attachments = raw.attachments;
  validateLimits(body, field);
  return body;
}

/** A new message must have something to show; edits may change a single field. */
export function requireNonEmpty(body: MessageBody, fileCount: number): void {
  const hasContent = (body.content ?? '').trim().length > 0;
  const hasOther = (body.embeds?.length ?? 0) > 0 || (body.components?.length ?? 0) > 0 || fileCount > 0;
  if (!hasContent && !hasOther) throw new DiscordApiError(400, 50006, 'Cannot send an empty message');
}

function validateLimits(body: MessageBody, field: string): void {
  const prefix = field ? `${field}.` : '';
  if (body.content !== undefined && body.content.length > CONTENT_MAX_LENGTH) {
    throw invalidFormBody(`${prefix}content`, 'BASE_TYPE_MAX_LENGTH', `Must be ${CONTENT_MAX_LENGTH} or fewer in length.`);
  }
  const embeds = body.embeds ?? [];
  if (embeds.length > EMBEDS_MAX) {
    throw invalidFormBody(`${prefix}embeds`, 'BASE_TYPE_MAX_LENGTH', `Must be ${EMBEDS_MAX} or fewer in length.`);
  }
  embeds.forEach((embed, index) => validateEmbed(embed, `${prefix}embeds.${index}`));
  if (embeds.reduce((sum, embed) => sum + embedTextLength(embed), 0) > EMBED_TOTAL_MAX) {
    throw invalidFormBody(`${prefix}embeds`, 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
  }
}

function validateEmbed(embed: APIEmbed, field: string): void {
  if ((embed.title?.length ?? 0) > EMBED_TITLE_MAX) {
    throw invalidFormBody(`${field}.title`, 'BASE_TYPE_MAX_LENGTH', `Must be ${EMBED_TITLE_MAX} or fewer in length.`);
  }
  if ((embed.description?.length ?? 0) > EMBED_DESCRIPTION_MAX) {
    throw invalidFormBody(`${field}.description`, 'BASE_TYPE_MAX_LENGTH', `Must be ${EMBED_DESCRIPTION_MAX} or fewer in length.`);
  }
}

/** Discord counts these texts towards the 6000-character total of a message's embeds. */
function embedTextLength(embed: APIEmbed): number {
  const fields = (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0) + fields;
}
