/**
 * The state of the fake Discord: one guild with one text channel, the bot, the members tests act as,
 * the registered commands and the channel's messages. REST routes and the gateway read and change it.
 */
import { ApplicationCommandType, ApplicationFlags, MessageFlags, MessageReferenceType, MessageType, PermissionFlagsBits } from 'discord.js';
import type {
  APIApplicationCommand,
  APIGuildMember,
  APIMessage,
  APIRole,
  APITextChannel,
  APIUser,
  GatewayGuildCreateDispatchData,
  GatewayReadyDispatchData,
} from 'discord.js';
import { DISCORD_EPOCH_MS, snowflake } from './ids.js';
import { DiscordApiError, invalidFormBody, isRecord, parseMessageBody, requireNonEmpty } from './message-body.js';
import type { MessageBody } from './message-body.js';
import * as build from './payloads.js';

export interface RoleSpec {
  name: string;
  /** Permission bitfield, as a bigint or the decimal string Discord uses. */
  permissions: bigint | string;
}

export interface MemberSpec {
  /** User id; a new user is created the first time an id is seen. Defaults to the default tester. */
  id?: string;
  username?: string;
  /** Role ids or role names (see `FakeDiscordOptions.roles`). @everyone is implied. */
  roles?: string[];
  /** The resolved permissions Discord reports in the interaction; defaults to what the roles grant. */
  permissions?: bigint | string;
  bot?: boolean;
}

export type MemberWithUser = APIGuildMember & { user: APIUser };
export type CommandScope = 'global' | 'guild';
export type MessageEventKind = 'create' | 'update' | 'delete';

export interface WorldOptions {
  guildName: string;
  /** A second server the bot is in (same roles and members, its own id and channel; under sharding on the next shard), e.g. to prove data stays apart. */
  secondGuildName?: string;
  channelName: string;
  botUsername: string;
  roles: readonly RoleSpec[];
}

export class World {
  /** Bot applications created since 2020 share their id with their bot user. */
  readonly applicationId = snowflake();
  readonly botUser: APIUser;
  readonly guildId = snowflake();
  readonly channel: APITextChannel;
  /** The second server, when WorldOptions.secondGuildName is set. */
  readonly secondGuildId: string | undefined;
  readonly secondChannel: APITextChannel | undefined;
  readonly owner: APIUser;
  readonly defaultUserId: string;
  readonly roles: APIRole[] = [];
  readonly members = new Map<string, MemberWithUser>();
  /** Every message in the channel, by id (the users' and the bot's). */
  readonly messages = new Map<string, APIMessage>();
  readonly commands: Record<CommandScope, APIApplicationCommand[]> = { global: [], guild: [] };
  /** Set by the gateway, so that the bot sees its own messages as Discord would echo them. */
  onMessageEvent: ((kind: MessageEventKind, message: APIMessage) => void) | null = null;
  private readonly botRoleId: string;
  private readonly createdAt = new Date().toISOString();

  constructor(readonly options: WorldOptions) {
    this.botUser = build.user(this.applicationId, options.botUsername, true);
    this.owner = build.user(snowflake(), 'server_owner');
    this.channel = build.textChannel(snowflake(), this.guildId, options.channelName);
    // One millisecond later than the first: under any sharding the second server lives on the next shard.
    this.secondGuildId = options.secondGuildName === undefined ? undefined : snowflake(Number(BigInt(this.guildId) >> 22n) + DISCORD_EPOCH_MS + 1);
    this.secondChannel = this.secondGuildId === undefined ? undefined : build.textChannel(snowflake(), this.secondGuildId, options.channelName);
    this.roles.push(build.role(this.guildId, '@everyone', build.EVERYONE_PERMISSIONS, 0));
    options.roles.forEach((spec, index) => this.roles.push(build.role(snowflake(), spec.name, BigInt(spec.permissions), index + 1)));
    this.botRoleId = snowflake();
    this.roles.push(build.role(this.botRoleId, options.botUsername, build.BOT_ROLE_PERMISSIONS, this.roles.length, true));
    this.addMember(this.botUser, [this.botRoleId]);
    this.addMember(this.owner, []);
    this.defaultUserId = this.ensureMember({ username: 'curious_reader' }).user.id;
  }

  roleId(name: string): string {
    const found = this.roles.find((r) => r.name === name);
    if (!found) throw new Error(`FakeDiscord: no role named "${name}" (roles: ${this.roles.map((r) => r.name).join(', ')})`);
    return found.id;
  }

  /** Finds or creates the member a test acts as, applying the requested roles. */
  ensureMember(spec: MemberSpec): MemberWithUser {
    const id = spec.id ?? (spec.username === undefined ? this.defaultUserId : snowflake());
    const existing = this.members.get(id);
    const roles = spec.roles?.map((r) => this.resolveRoleId(r)) ?? existing?.roles ?? [];
    const memberUser = existing?.user ?? build.user(id, spec.username ?? `user_${id.slice(-5)}`, spec.bot ?? false);
    return this.addMember(memberUser, roles);
  }

  /** Channel permissions the member has (no channel overwrites exist in the fake guild). */
  permissionsOf(guildMember: APIGuildMember): bigint {
    if (guildMember.user?.id === this.owner.id) return build.ALL_PERMISSIONS;
    const granted = this.roles
      .filter((r) => r.id === this.guildId || guildMember.roles.includes(r.id))
      .reduce((all, r) => all | BigInt(r.permissions), 0n);
    return (granted & PermissionFlagsBits.Administrator) !== 0n ? build.ALL_PERMISSIONS : granted;
  }

  botPermissions(): bigint {
    return this.permissionsOf(this.botMember());
  }

  botMember(): MemberWithUser {
    const bot = this.members.get(this.botUser.id);
    if (!bot) throw new Error('FakeDiscord: the bot member is missing');
    return bot;
  }

  /** Every server the bot is in. */
  guildIds(): string[] {
    return this.secondGuildId === undefined ? [this.guildId] : [this.guildId, this.secondGuildId];
  }

  /** The text channel of a server. */
  channelOf(guildId: string): APITextChannel {
    if (guildId === this.guildId) return this.channel;
    if (guildId === this.secondGuildId && this.secondChannel) return this.secondChannel;
    throw new Error(`FakeDiscord: the bot is not in guild ${guildId}`);
  }

  /** READY for one shard, listing the servers `guildIds` that belong to it. */
  readyData(sessionId: string, resumeGatewayUrl: string, shard: [number, number] = [0, 1], guildIds: readonly string[] = [this.guildId]): GatewayReadyDispatchData {
    return {
      v: 10,
      user: { ...this.botUser, verified: true, mfa_enabled: false, email: null },
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      session_id: sessionId,
      resume_gateway_url: resumeGatewayUrl,
      shard,
      application: { id: this.applicationId, flags: ApplicationFlags.GatewayMessageContentLimited, flags_new: String(ApplicationFlags.GatewayMessageContentLimited) },
    };
  }

  guildCreateData(guildId: string = this.guildId): GatewayGuildCreateDispatchData {
    const name = guildId === this.guildId ? this.options.guildName : (this.options.secondGuildName ?? this.options.guildName);
    return {
      ...build.guildSettings(guildId, name, this.owner.id),
      roles: this.roles,
      joined_at: this.botMember().joined_at ?? this.createdAt,
      large: false,
      unavailable: false,
      member_count: this.members.size,
      voice_states: [],
      // Discord sends only the bot's member (and voice participants) in GUILD_CREATE for bots.
      members: [this.botMember()],
      channels: [this.channelOf(guildId)],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  /** The object `GET /applications/@me` returns (the fields discord.js reads). */
  applicationData(): Record<string, unknown> {
    return {
      id: this.applicationId,
      name: this.botUser.username,
      icon: null,
      description: 'Answers questions about news articles',
      bot_public: true,
      bot_require_code_grant: false,
      flags: ApplicationFlags.GatewayMessageContentLimited,
      owner: this.owner,
      team: null,
      verify_key: '0'.repeat(64),
      approximate_guild_count: 1,
      integration_types_config: { '0': {} },
    };
  }

  // --- application commands -------------------------------------------------------------------

  overwriteCommands(scope: CommandScope, body: unknown): APIApplicationCommand[] {
    if (!Array.isArray(body)) throw invalidFormBody('_root', 'BASE_TYPE_ARRAY', 'Must be an array.');
    const names = new Set<string>();
    const stored = body.map((raw, index) => {
      const command = this.toCommand(scope, raw, index);
      const key = `${command.type}:${command.name}`;
      if (names.has(key)) throw invalidFormBody(`${index}.name`, 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
      names.add(key);
      return command;
    });
    this.commands[scope] = stored;
    return stored;
  }

  /** POST upserts by name, as Discord does. */
  createCommand(scope: CommandScope, body: unknown): APIApplicationCommand {
    const command = this.toCommand(scope, body, 0, '');
    this.commands[scope] = [...this.commands[scope].filter((c) => c.name !== command.name || c.type !== command.type), command];
    return command;
  }

  /** Guild commands shadow global ones with the same name, as in the Discord client. */
  findCommand(name: string): APIApplicationCommand | undefined {
    const isNamed = (c: APIApplicationCommand) => c.name === name && c.type === ApplicationCommandType.ChatInput;
    return this.commands.guild.find(isNamed) ?? this.commands.global.find(isNamed);
  }

  private toCommand(scope: CommandScope, raw: unknown, index: number, prefix = `${index}.`): APIApplicationCommand {
    if (!isRecord(raw)) throw invalidFormBody(`${prefix}_root`, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    const name = typeof raw.name === 'string' ? raw.name : '';
    const type = typeof raw.type === 'number' ? raw.type : ApplicationCommandType.ChatInput;
    if (type === ApplicationCommandType.ChatInput && !/^[-_\p{L}\p{N}]{1,32}$/u.test(name)) {
      throw invalidFormBody(`${prefix}name`, 'APPLICATION_COMMAND_INVALID_NAME', `Command name is invalid`);
    }
    const existing = this.commands[scope].find((c) => c.name === name && c.type === type);
    return {
      ...(raw as Partial<APIApplicationCommand>),
      id: existing?.id ?? snowflake(),
      application_id: this.applicationId,
      ...(scope === 'guild' ? { guild_id: this.guildId } : {}),
      name,
      type,
      description: typeof raw.description === 'string' ? raw.description : '',
      default_member_permissions: typeof raw.default_member_permissions === 'string' ? raw.default_member_permissions : null,
      nsfw: raw.nsfw === true,
      version: snowflake(),
    };
  }

  // --- channel messages ---------------------------------------------------------------------

  requireChannel(channelId: string): APITextChannel {
    if (channelId !== this.channel.id) throw new DiscordApiError(404, 10003, 'Unknown Channel');
    return this.channel;
  }

  requireMessage(channelId: string, messageId: string): APIMessage {
    this.requireChannel(channelId);
    const found = this.messages.get(messageId);
    if (!found) throw new DiscordApiError(404, 10008, 'Unknown Message');
    return found;
  }

  /** POST /channels/:id/messages by the bot. */
  postBotMessage(channelId: string, raw: unknown, fileCount: number): APIMessage {
    this.requireChannel(channelId);
    const body = parseMessageBody(raw);
    requireNonEmpty(body, fileCount);
    const referenced = this.resolveReference(body);
    const posted = build.message({
      id: snowflake(),
      channelId,
      author: this.botUser,
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      flags: body.flags ?? 0,
      type: referenced ? MessageType.Reply : MessageType.Default,
      mentions: this.mentionedUsers(body.content ?? '', referenced),
      ...(referenced ? { messageReference: this.referenceTo(referenced), referencedMessage: referenced } : {}),
    });
    this.storeMessage(posted);
    return posted;
  }

  /** PATCH of a bot message: only the fields present in the body change. */
  editBotMessage(existing: APIMessage, raw: unknown, fileCount = 0): APIMessage {
    const body = parseMessageBody(raw);
    const loading = ((existing.flags ?? 0) & MessageFlags.Loading) !== 0;
    const edited: APIMessage = {
      ...existing,
      ...(body.content !== undefined ? { content: body.content, mentions: this.mentionedUsers(body.content, null) } : {}),
      ...(body.embeds !== undefined ? { embeds: body.embeds } : {}),
      ...(body.components !== undefined ? { components: body.components } : {}),
      // The first edit of a deferred ("thinking…") response replaces it rather than marking it edited.
      flags: (existing.flags ?? 0) & ~MessageFlags.Loading,
      edited_timestamp: loading ? null : new Date().toISOString(),
    };
    const attachmentCount = fileCount + (body.attachments?.length ?? existing.attachments.length);
    requireNonEmpty({ content: edited.content, embeds: edited.embeds, components: edited.components ?? [] }, attachmentCount);
    this.storeMessage(edited, 'update');
    return edited;
  }

  deleteMessage(existing: APIMessage): void {
    this.messages.delete(existing.id);
    this.onMessageEvent?.('delete', existing);
  }

  /** Records a message and lets the gateway echo it (Discord never sends events for ephemeral ones). */
  storeMessage(stored: APIMessage, kind: MessageEventKind = 'create'): void {
    const ephemeral = ((stored.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    if (!ephemeral) this.messages.set(stored.id, stored);
    if (!ephemeral) this.onMessageEvent?.(kind, stored);
  }

  /** Users a message mentions: `<@id>` tokens of known users, plus the author of the message it replies to. */
  mentionedUsers(content: string, repliedTo: APIMessage | null): APIUser[] {
    const ids = new Set([...content.matchAll(/<@!?(\d+)>/g)].map((match) => match[1] ?? ''));
    if (repliedTo) ids.add(repliedTo.author.id);
    return [...ids].flatMap((id) => {
      const known = this.members.get(id);
      return known ? [known.user] : [];
    });
  }

  private resolveReference(body: MessageBody): APIMessage | null {
    const reference = body.message_reference;
    if (!reference?.message_id) return null;
    const referenced = this.messages.get(reference.message_id);
    if (referenced) return referenced;
    if (reference.fail_if_not_exists === false) return null;
    throw invalidFormBody('message_reference', 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
  }

  private referenceTo(referenced: APIMessage) {
    return { type: MessageReferenceType.Default, channel_id: referenced.channel_id, guild_id: this.guildId, message_id: referenced.id };
  }

  private resolveRoleId(idOrName: string): string {
    return this.roles.some((r) => r.id === idOrName) ? idOrName : this.roleId(idOrName);
  }

  private addMember(memberUser: APIUser, roleIds: string[]): MemberWithUser {
    const added = { ...build.member(memberUser, roleIds, this.createdAt), user: memberUser };
    this.members.set(memberUser.id, added);
    return added;
  }
}
