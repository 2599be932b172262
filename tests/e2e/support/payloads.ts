/**
 * Pure builders for Discord API v10 objects. They are typed with discord-api-types (re-exported by
 * discord.js) so that a payload missing a field Discord always sends fails the type-check instead of
 * silently passing a test that would break against the real API.
 */
import {
  ApplicationCommandOptionType,
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  MessageType,
  PermissionFlagsBits,
} from 'discord.js';
import type {
  GuildMemberFlags,
  RoleFlags,
  APIApplicationCommandInteractionDataBasicOption,
  APIApplicationCommandOption,
  APIEmbed,
  APIGuildMember,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageReference,
  APIMessageTopLevelComponent,
  APIRole,
  APITextChannel,
  APIUser,
} from 'discord.js';

export type OptionValue = string | number | boolean;

/** What @everyone may do in a freshly created community server (a realistic subset). */
export const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.ChangeNickname;

/** The permissions the bot's invite link asked for; Discord gives them to the bot's managed role. */
export const BOT_ROLE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.UseApplicationCommands;

/** Every permission bit; Discord reports this for members holding Administrator. */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

export function user(id: string, username: string, bot = false): APIUser {
  return {
    id,
    username,
    discriminator: bot ? '0000' : '0',
    global_name: bot ? null : username,
    avatar: null,
    bot,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
}

export function role(id: string, name: string, permissions: bigint, position: number, managed = false): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

export function member(memberUser: APIUser, roleIds: string[], joinedAt: string): APIGuildMember {
  return {
    user: memberUser,
    nick: null,
    avatar: null,
    banner: null,
    roles: roleIds,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** The member object inside INTERACTION_CREATE carries the member's resolved channel permissions. */
export function interactionMember(guildMember: APIGuildMember & { user: APIUser }, permissions: bigint): APIInteractionGuildMember {
  return { ...guildMember, permissions: permissions.toString() };
}

/** MESSAGE_CREATE's `member` omits `user` (the author is sent separately). */
export function messageMember(guildMember: APIGuildMember): Omit<APIGuildMember, 'user'> {
  const { user: _user, ...rest } = guildMember;
  return rest;
}

export function textChannel(id: string, guildId: string, name: string): APITextChannel {
  return {
    id,
    type: ChannelType.GuildText,
    guild_id: guildId,
    name,
    position: 0,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: 'Questions about the articles we read',
    last_message_id: null,
    rate_limit_per_user: 0,
  };
}

/** Static guild settings; the parts that vary (roles, channels, members) are supplied by the caller. */
export function guildSettings(id: string, name: string, ownerId: string) {
  return {
    id,
    name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: ownerId,
    afk_channel_id: null,
    afk_timeout: 300 as const,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
    rules_channel_id: null,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    max_members: 500_000,
    max_video_channel_users: 25,
  };
}

export interface MessageFields {
  id: string;
  channelId: string;
  author: APIUser;
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
  type?: MessageType;
  mentions?: APIUser[];
  messageReference?: APIMessageReference;
  referencedMessage?: APIMessage | null;
  webhookId?: string;
  applicationId?: string;
  at?: number;
}

export function message(fields: MessageFields): APIMessage {
  const built: APIMessage = {
    id: fields.id,
    channel_id: fields.channelId,
    author: fields.author,
    content: fields.content ?? '',
    timestamp: new Date(fields.at ?? Date.now()).toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: fields.mentions ?? [],
    mention_roles: [],
    attachments: [],
    embeds: fields.embeds ?? [],
    components: fields.components ?? [],
    pinned: false,
    type: fields.type ?? MessageType.Default,
    flags: fields.flags ?? 0,
  };
  if (fields.messageReference) built.message_reference = fields.messageReference;
  if (fields.referencedMessage !== undefined) built.referenced_message = fields.referencedMessage;
  if (fields.webhookId) built.webhook_id = fields.webhookId;
  if (fields.applicationId) built.application_id = fields.applicationId;
  return built;
}

/** Guesses the option type for values passed to an unregistered command (tests that skip registration). */
function inferOptionType(value: OptionValue): ApplicationCommandOptionType {
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

/**
 * Builds the `data.options` Discord sends for the given values, typed by the registered command's
 * schema. Autocomplete sends the focused option's partial input as a string whatever its type.
 */
export function dataOptions(
  values: Record<string, OptionValue>,
  schema: readonly APIApplicationCommandOption[] | undefined,
  focused?: string,
): APIApplicationCommandInteractionDataBasicOption[] {
  return Object.entries(values).map(([name, value]) => {
    const type = schema?.find((option) => option.name === name)?.type ?? inferOptionType(value);
    if (name === focused) {
      return { name, type: ApplicationCommandOptionType.String, value: String(value), focused: true };
    }
    return dataOption(name, type, value);
  });
}

function dataOption(
  name: string,
  type: ApplicationCommandOptionType,
  value: OptionValue,
): APIApplicationCommandInteractionDataBasicOption {
  switch (type) {
    case ApplicationCommandOptionType.String:
      return { name, type, value: String(value) };
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number:
      return { name, type, value: Number(value) };
    case ApplicationCommandOptionType.Boolean:
      return { name, type, value: Boolean(value) };
    case ApplicationCommandOptionType.Attachment:
      // The attachment's id; the attachment itself goes in `data.resolved.attachments`.
      return { name, type, value: String(value) };
    case ApplicationCommandOptionType.Role:
      // The role's id (Discord also describes the role in `data.resolved.roles`; the bot needs only the id).
      return { name, type, value: String(value) };
    default:
      throw new Error(`FakeDiscord: option "${name}" has type ${type}, which sendInteraction does not support yet`);
  }
}
