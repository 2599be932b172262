import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { isModerator, memberIsModerator, roleIdsOf } from '../../src/discord/permissions';

const MOD = '400000000000000004';
const OTHER = '400000000000000009';
const plain = PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel;

describe('isModerator', () => {
  it('accepts Manage Server as a bitfield, a raw API string or a bigint', () => {
    const bits = plain | PermissionFlagsBits.ManageGuild;
    expect(isModerator(new PermissionsBitField(bits), [], [])).toBe(true);
    expect(isModerator(bits.toString(), [], [])).toBe(true);
    expect(isModerator(bits, [], [])).toBe(true);
  });

  it('treats Administrator as having Manage Server', () => {
    expect(isModerator(PermissionFlagsBits.Administrator.toString(), [], [])).toBe(true);
  });

  it('refuses ordinary members', () => {
    expect(isModerator(plain.toString(), [OTHER], [MOD])).toBe(false);
    expect(isModerator(null, [], [MOD])).toBe(false);
    expect(isModerator('not-a-number', [], [])).toBe(false);
  });

  it('accepts a member with a moderator role from an array or a role manager', () => {
    expect(isModerator(plain.toString(), [OTHER, MOD], [MOD])).toBe(true);
    expect(isModerator(new PermissionsBitField(plain), { cache: new Map([[MOD, {}]]) }, [MOD])).toBe(true);
    expect(isModerator(plain.toString(), [MOD], [])).toBe(false);
  });

  it('reads role ids from both member shapes', () => {
    expect(roleIdsOf([MOD])).toEqual([MOD]);
    expect(roleIdsOf({ cache: new Map([[MOD, {}]]) })).toEqual([MOD]);
    expect(roleIdsOf(undefined)).toEqual([]);
  });
});

describe('memberIsModerator', () => {
  it('works with the raw interaction member (permissions string, roles array)', () => {
    const raw = { permissions: (plain | PermissionFlagsBits.ManageGuild).toString(), roles: [] } as never;
    expect(memberIsModerator(raw, [])).toBe(true);
    const rawMod = { permissions: plain.toString(), roles: [MOD] } as never;
    expect(memberIsModerator(rawMod, [MOD])).toBe(true);
    expect(memberIsModerator({ permissions: plain.toString(), roles: [OTHER] } as never, [MOD])).toBe(false);
  });

  it('works with a GuildMember-like object and prefers the given permissions', () => {
    const member = { permissions: new PermissionsBitField(plain), roles: { cache: new Map([[OTHER, {}]]) } } as never;
    expect(memberIsModerator(member, [MOD])).toBe(false);
    expect(memberIsModerator(member, [MOD], new PermissionsBitField(PermissionFlagsBits.ManageGuild))).toBe(true);
  });

  it('survives a GuildMember whose permissions getter throws (guild not cached)', () => {
    const member = {
      get permissions(): never {
        throw new Error('no guild');
      },
      roles: { cache: new Map([[MOD, {}]]) },
    } as never;
    expect(memberIsModerator(member, [MOD])).toBe(true);
    expect(memberIsModerator(member, [])).toBe(false);
  });

  it('without a member only the permissions count', () => {
    expect(memberIsModerator(null, [MOD])).toBe(false);
    expect(memberIsModerator(null, [MOD], PermissionFlagsBits.ManageGuild)).toBe(true);
  });
});
