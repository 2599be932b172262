/**
 * What users do in the fake guild, turned into the gateway payloads Discord would send the bot:
 * INTERACTION_CREATE for slash commands, autocomplete and button clicks, MESSAGE_CREATE for messages.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonStyle,
  ComponentType,
  GatewayIntentBits,
  InteractionContextType,
  InteractionType,
  Locale,
} from 'discord.js';
import type {
  APIApplicationCommand,
  APIAttachment,
  APIApplicationCommandInteractionDataOption,
  APIApplicationCommandOption,
  APIInteraction,
  APIMessage,
  APIUser,
  GatewayMessageCreateDispatchData,
} from 'discord.js';
import { resolvedAttachments } from './attachments.js';
import { interactionToken, snowflake } from './ids.js';
import type { InteractionKind } from './interactions.js';
import * as build from './payloads.js';
import type { OptionValue } from './payloads.js';
import type { MemberSpec, World } from './world.js';

interface InteractionSpecBase {
  member?: MemberSpec;
  /** The server it comes from (default the first; `FakeDiscord.secondGuildId` for the second). */
  guildId?: string;
  /** The gateway shard that receives it (default: the guild's shard, as on Discord). */
  shard?: number;
  /** The user's client language; Discord sends it as `locale`. */
  locale?: Locale;
}

export interface CommandInteractionSpec extends InteractionSpecBase {
  type: 'command';
  name: string;
  subcommand?: string;
  options?: Record<string, OptionValue>;
  /** Uploaded files (see `attachment()` in attachments.ts); an attachment option's value is the file's id. */
  attachments?: readonly APIAttachment[];
  /** Discord only sends interactions for registered commands; set to skip that check. */
  allowUnregistered?: boolean;
}

export interface AutocompleteInteractionSpec extends InteractionSpecBase {
  type: 'autocomplete';
  name: string;
  subcommand?: string;
  /** Values typed so far; the focused one is sent as the partial string the user is typing. */
  options?: Record<string, OptionValue>;
  focused: string;
  allowUnregistered?: boolean;
}

export interface ComponentInteractionSpec extends InteractionSpecBase {
  type: 'component';
  customId: string;
  /** The message the button is on; defaults to the newest bot message with that custom_id. */
  message?: APIMessage;
}

export type InteractionSpec = CommandInteractionSpec | AutocompleteInteractionSpec | ComponentInteractionSpec;

export interface MessageSpec {
  content: string;
  /** Adds the bot to `mentions` and, if absent, a leading `<@botId>` to the content, as a real mention does. */
  mentionsBot?: boolean;
  authorId?: string;
  username?: string;
  roles?: string[];
  /** Sets `author.bot` (bots usually ignore other bots). */
  authorIsBot?: boolean;
  /** Id of a message in the channel this one replies to. */
  replyTo?: string;
}

export interface BuiltInteraction {
  kind: InteractionKind;
  payload: APIInteraction;
}

const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

export function buildInteraction(world: World, spec: InteractionSpec): BuiltInteraction {
  switch (spec.type) {
    case 'command':
      return { kind: 'command', payload: commandInteraction(world, spec) };
    case 'autocomplete':
      return { kind: 'autocomplete', payload: autocompleteInteraction(world, spec) };
    case 'component':
      return { kind: 'component', payload: componentInteraction(world, spec) };
  }
}

/** The fields every guild interaction carries (see "Interaction Object" in Discord's docs). */
function interactionBase(world: World, spec: InteractionSpecBase) {
  const actor = world.ensureMember(spec.member ?? {});
  const permissions = spec.member?.permissions === undefined ? world.permissionsOf(actor) : BigInt(spec.member.permissions);
  const id = snowflake();
  const guildId = spec.guildId ?? world.guildId;
  const channel = world.channelOf(guildId);
  return {
    id,
    application_id: world.applicationId,
    token: interactionToken(id),
    version: 1 as const,
    guild_id: guildId,
    guild: { id: guildId, locale: Locale.EnglishUS, features: [] },
    channel_id: channel.id,
    channel,
    member: build.interactionMember(actor, permissions),
    app_permissions: world.botPermissions().toString(),
    locale: spec.locale ?? Locale.EnglishUS,
    guild_locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { 0: guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
}

function commandInteraction(world: World, spec: CommandInteractionSpec): APIInteraction {
  const command = requireCommand(world, spec.name, spec.allowUnregistered);
  return {
    ...interactionBase(world, spec),
    type: InteractionType.ApplicationCommand,
    data: {
      ...commandData(spec.name, command),
      options: commandOptions(command, spec.subcommand, spec.options ?? {}),
      ...(spec.attachments ? { resolved: resolvedAttachments(spec.attachments) } : {}),
    },
  };
}

function autocompleteInteraction(world: World, spec: AutocompleteInteractionSpec): APIInteraction {
  const command = requireCommand(world, spec.name, spec.allowUnregistered);
  const values = { [spec.focused]: '', ...spec.options };
  return {
    ...interactionBase(world, spec),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      ...commandData(spec.name, command),
      options: commandOptions(command, spec.subcommand, values, spec.focused),
    },
  };
}

function componentInteraction(world: World, spec: ComponentInteractionSpec): APIInteraction {
  return {
    ...interactionBase(world, spec),
    type: InteractionType.MessageComponent,
    data: { custom_id: spec.customId, component_type: ComponentType.Button },
    message: spec.message ?? messageWithButton(world, spec.customId),
  };
}

/** `data.guild_id` is present only for guild-scoped commands. */
function commandData(name: string, command: APIApplicationCommand | undefined) {
  return {
    id: command?.id ?? snowflake(),
    name,
    type: ApplicationCommandType.ChatInput as const,
    ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
  };
}

function requireCommand(world: World, name: string, allowUnregistered = false): APIApplicationCommand | undefined {
  const command = world.findCommand(name);
  if (!command && !allowUnregistered) {
    const known = [...world.commands.guild, ...world.commands.global].map((c) => c.name).join(', ') || 'none';
    throw new Error(`FakeDiscord: no command "/${name}" is registered (registered: ${known}); Discord would not send this interaction`);
  }
  return command;
}

function commandOptions(
  command: APIApplicationCommand | undefined,
  subcommand: string | undefined,
  values: Record<string, OptionValue>,
  focused?: string,
): APIApplicationCommandInteractionDataOption[] {
  if (subcommand === undefined) return build.dataOptions(values, command?.options, focused);
  const schema = command?.options?.find((o) => o.name === subcommand && o.type === ApplicationCommandOptionType.Subcommand);
  const subOptions: readonly APIApplicationCommandOption[] | undefined = schema && 'options' in schema ? schema.options : undefined;
  return [{ type: ApplicationCommandOptionType.Subcommand, name: subcommand, options: build.dataOptions(values, subOptions, focused) }];
}

/** The newest bot message carrying the button, or a new one (as if sent before the test started). */
function messageWithButton(world: World, customId: string): APIMessage {
  const needle = JSON.stringify({ custom_id: customId }).slice(1, -1);
  const existing = [...world.messages.values()].reverse().find((m) => m.author.id === world.botUser.id && JSON.stringify(m.components ?? []).includes(needle));
  if (existing) return existing;
  const created = build.message({
    id: snowflake(),
    channelId: world.channel.id,
    author: world.botUser,
    content: 'Message with a button',
    components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: customId, label: customId }] }],
  });
  world.messages.set(created.id, created);
  return created;
}

export interface BuiltMessage {
  /** The message as stored (full content). */
  message: APIMessage;
  /** What the bot receives in MESSAGE_CREATE (content withheld without the MessageContent intent). */
  dispatch: GatewayMessageCreateDispatchData;
}

export function buildUserMessage(world: World, spec: MessageSpec): BuiltMessage {
  const author = world.ensureMember({ id: spec.authorId, username: spec.username, roles: spec.roles, bot: spec.authorIsBot });
  const mention = `<@${world.botUser.id}>`;
  const content = spec.mentionsBot && !spec.content.includes(mention) ? `${mention} ${spec.content}` : spec.content;
  const referenced = spec.replyTo === undefined ? null : world.requireMessage(world.channel.id, spec.replyTo);
  const sent = build.message({
    id: snowflake(),
    channelId: world.channel.id,
    author: author.user,
    content,
    mentions: world.mentionedUsers(content, referenced),
    ...(referenced ? { messageReference: { channel_id: referenced.channel_id, guild_id: world.guildId, message_id: referenced.id }, referencedMessage: referenced } : {}),
  });
  world.messages.set(sent.id, sent);
  return { message: sent, dispatch: messageDispatch(world, sent) };
}

/** MESSAGE_CREATE/UPDATE data: the message plus guild_id, the author's member and members of mentions. */
export function messageDispatch(world: World, sent: APIMessage): GatewayMessageCreateDispatchData {
  const authorMember = world.members.get(sent.author.id);
  return {
    ...sent,
    guild_id: world.guildId,
    channel_type: world.channel.type,
    mentions: sent.mentions.map((u: APIUser) => {
      const mentioned = world.members.get(u.id);
      return mentioned ? { ...u, member: build.messageMember(mentioned) } : u;
    }),
    ...(authorMember ? { member: { ...build.messageMember(authorMember), joined_at: authorMember.joined_at ?? new Date(0).toISOString() } } : {}),
  };
}

/**
 * Discord blanks content, embeds, attachments and components for apps without the MessageContent
 * intent, except in messages that mention the app and the app's own messages.
 */
export function withheldContent(world: World, data: GatewayMessageCreateDispatchData, intents: number): GatewayMessageCreateDispatchData {
  const hasIntent = (intents & GatewayIntentBits.MessageContent) !== 0;
  const visible = hasIntent || data.author.id === world.botUser.id || data.mentions.some((u) => u.id === world.botUser.id);
  return visible ? data : { ...data, content: '', embeds: [], attachments: [], components: [] };
}
