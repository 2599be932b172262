/**
 * A message body that respects every Discord limit by construction: embeds clamped and fitted into the
 * 6,000-character total, content cut to 2,000, and never a ping.
 */
import {
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type InteractionReplyOptions,
  type MessageMentionOptions,
} from 'discord.js';
import { LIMITS } from '../limits';
import { truncate, ZWSP } from './escape';

/** Nothing in a bot message may ping anyone, including the author of the message it replies to. */
export const NO_MENTIONS: MessageMentionOptions = Object.freeze({ parse: [], repliedUser: false });

export const COLORS = { answer: 0x5865f2, decline: 0x99aab5, summary: 0x3ba55c, ok: 0x3ba55c, error: 0xed4245 } as const;

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** A message body ready for reply / editReply / followUp / message.reply. */
export interface Reply {
  content?: string;
  embeds: APIEmbed[];
  components?: ButtonRow[];
  allowedMentions: MessageMentionOptions;
}

/** Characters Discord counts toward the 6,000 total for one embed. */
export function embedLength(embed: APIEmbed): number {
  let n = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  n += embed.footer?.text.length ?? 0;
  n += embed.author?.name.length ?? 0;
  for (const f of embed.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

export function totalEmbedLength(embeds: readonly APIEmbed[]): number {
  return embeds.reduce((sum, e) => sum + embedLength(e), 0);
}

/** Clamps every part of every embed to its limit, keeps at most 10 embeds and 25 fields, then trims to 6,000 in total. */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const out = embeds.slice(0, LIMITS.embeds).map((e): APIEmbed => {
    const c: APIEmbed = { ...e };
    if (c.title !== undefined) c.title = truncate(c.title, LIMITS.embedTitle);
    if (c.description !== undefined) c.description = truncate(c.description, LIMITS.embedDescription);
    if (c.footer) c.footer = { ...c.footer, text: truncate(c.footer.text, LIMITS.footer) };
    if (c.author) c.author = { ...c.author, name: truncate(c.author.name, LIMITS.authorName) };
    if (c.fields) {
      c.fields = c.fields.slice(0, LIMITS.fields).map((f) => ({
        ...f,
        name: truncate(f.name, LIMITS.fieldName) || ZWSP,
        value: truncate(f.value, LIMITS.fieldValue) || ZWSP,
      }));
    }
    return c;
  });
  // Trim the longest text part until the total fits (descriptions and values first: they are the longest).
  for (let guard = 0; guard < 1000; guard++) {
    const excess = totalEmbedLength(out) - LIMITS.embedsTotal;
    if (excess <= 0) break;
    let longest: { length: number; set: (v: string) => void; get: () => string } | undefined;
    const consider = (get: () => string, set: (v: string) => void) => {
      const length = get().length;
      if (length > (longest?.length ?? 0)) longest = { length, get, set };
    };
    for (const e of out) {
      if (e.description !== undefined) consider(() => e.description ?? '', (v) => (e.description = v));
      if (e.title !== undefined) consider(() => e.title ?? '', (v) => (e.title = v));
      const footer = e.footer;
      if (footer) consider(() => footer.text, (v) => (footer.text = v));
      const author = e.author;
      if (author) consider(() => author.name, (v) => (author.name = v));
      for (const f of e.fields ?? []) {
        consider(() => f.value, (v) => (f.value = v));
        consider(() => f.name, (v) => (f.name = v));
      }
    }
    if (!longest || longest.length <= 1) {
      out.pop();
      continue;
    }
    longest.set(truncate(longest.get(), Math.max(1, longest.length - excess)));
  }
  return out;
}

export function reply(parts: Partial<Omit<Reply, 'allowedMentions'>>): Reply {
  const r: Reply = { embeds: fitEmbeds(parts.embeds ?? []), allowedMentions: NO_MENTIONS };
  if (parts.content !== undefined) r.content = truncate(parts.content, LIMITS.content);
  if (parts.components !== undefined) r.components = parts.components;
  return r;
}

/** A plain-text notice (errors, refusals, cooldowns). */
export function notice(text: string): Reply {
  return reply({ content: text });
}


/** The same body, seen only by the member who used the command. */
export function ephemeral(reply: Reply): InteractionReplyOptions & { flags: MessageFlags.Ephemeral } {
  return { ...reply, flags: MessageFlags.Ephemeral };
}
