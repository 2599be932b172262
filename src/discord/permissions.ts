import { PermissionFlagsBits, PermissionsBitField, type APIInteractionGuildMember, type GuildMember } from 'discord.js';

/** A PermissionsBitField (GuildMember, interaction.memberPermissions) or the raw API bitfield string. */
export type PermissionsLike = Readonly<PermissionsBitField> | PermissionsBitField | string | bigint | null | undefined;

/** A GuildMember's role manager, or the raw API member's role id list. */
export type RolesLike = { cache: { keys(): Iterable<string> } } | Iterable<string> | null | undefined;

/** The permission that makes someone a moderator (the same one `/reload` requires by default). */
export const MODERATOR_PERMISSION = PermissionFlagsBits.ManageGuild;

function hasManageGuild(permissions: PermissionsLike): boolean {
  if (permissions === null || permissions === undefined) return false;
  try {
    const bits =
      typeof permissions === 'string' || typeof permissions === 'bigint'
        ? new PermissionsBitField(BigInt(permissions))
        : permissions;
    // `has` treats Administrator as having every permission.
    return bits.has(MODERATOR_PERMISSION);
  } catch {
    return false;
  }
}

export function roleIdsOf(roles: RolesLike): string[] {
  if (roles === null || roles === undefined) return [];
  if (typeof roles === 'object' && 'cache' in roles) return [...roles.cache.keys()];
  return [...roles];
}

/** Manage Server (or Administrator), or any role listed in MODERATOR_ROLE_IDS. */
export function isModerator(permissions: PermissionsLike, roles: RolesLike, moderatorRoleIds: readonly string[]): boolean {
  if (hasManageGuild(permissions)) return true;
  if (moderatorRoleIds.length === 0) return false;
  return roleIdsOf(roles).some((id) => moderatorRoleIds.includes(id));
}

/**
 * For a GuildMember or the raw interaction member. Pass `permissions` when known better than the member
 * (interaction.memberPermissions carries the channel-resolved bits for both kinds).
 */
export function memberIsModerator(
  member: GuildMember | APIInteractionGuildMember | null | undefined,
  moderatorRoleIds: readonly string[],
  permissions?: PermissionsLike,
): boolean {
  if (!member) return hasManageGuild(permissions);
  let perms: PermissionsLike = permissions;
  if (perms === null || perms === undefined) {
    try {
      perms = member.permissions;
    } catch {
      perms = undefined; // GuildMember#permissions needs the guild in cache
    }
  }
  return isModerator(perms, member.roles, moderatorRoleIds);
}

/** Whether the member who used a command or pressed a button is a moderator, by the channel-resolved permissions. */
export function invokerIsModerator(
  interaction: { member: GuildMember | APIInteractionGuildMember | null; memberPermissions: PermissionsLike },
  moderatorRoleIds: readonly string[],
): boolean {
  return memberIsModerator(interaction.member, moderatorRoleIds, interaction.memberPermissions);
}
