import { ComponentType, MessageFlags, PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { NOT_YOURS, ONE_OF_URL_OR_FILE, REFUSAL, data, execute, removeButton } from '../../src/discord/commands/source';
import { ZWSP, totalEmbedLength } from '../../src/discord/render';
import { DEFAULT_CONFIRMS_PER_USER, PendingRemovals } from '../../src/discord/pending-removals';
import { NOT_ON_MESSAGE, handleInteraction } from '../../src/discord/events/interactionCreate';
import { formatSourceAdded } from '../../src/discord/render';
import { articleUrl, uploadProblem } from '../../src/sources/article-intake';
import { FetchError } from '../../src/sources/fetch-article';
import { problemReason } from '../../src/sources/library-types';
import { SourceChangeError } from '../../src/sources/folder-writer';
import { FakeLibrary, MANAGE_GUILD, MOD_ROLE, USER_ID, asInteraction, fakeButton, fakeCommand, firstPayload, source, testContext } from './fakes';

type Options = { subcommand: 'add' | 'remove'; url?: string; source?: string };

function sourceCommand(options: Options, spec: Parameters<typeof fakeCommand>[2] = {}) {
  const command = fakeCommand('source', { url: options.url, source: options.source }, spec);
  Object.assign(command.options, { getSubcommand: () => options.subcommand, getAttachment: () => null });
  Object.assign(command.user, { tag: 'mod_anna' });
  return command;
}

/** A button press by a moderator (or not), with the calls a button can make. */
function press(customId: string, moderator: boolean, messageCustomIds?: string[]) {
  const button = fakeButton(customId, messageCustomIds);
  const permissions = moderator ? MANAGE_GUILD : PermissionFlagsBits.ViewChannel;
  Object.assign(button, {
    memberPermissions: new PermissionsBitField(permissions).freeze(),
    deferUpdate: async () => button.calls.push({ method: 'deferReply', payload: 'update' }),
  });
  Object.assign(button.user, { tag: 'mod_anna' });
  return button;
}

function confirmationIds(library: FakeLibrary, sourceId: string) {
  const { ctx } = testContext(library);
  const command = sourceCommand({ subcommand: 'remove', source: sourceId }, { permissions: MANAGE_GUILD });
  return execute(command, ctx).then(() => {
    const payload = firstPayload(command, 'reply');
    const ids = JSON.stringify(payload.components).match(/source:remove:\w+:\w+/g) ?? [];
    return { payload, confirm: ids[0] ?? '', cancel: ids[1] ?? '' };
  });
}

describe('/source definition', () => {
  it('is guild-only with Manage Server by default', () => {
    expect(data.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(data.options?.map((o) => o.name)).toEqual(['add', 'remove']);
  });
});

describe('/source permissions and options', () => {
  it('refuses a member without Manage Server or a moderator role, ephemerally, touching nothing', async () => {
    const library = new FakeLibrary();
    const { ctx, logLines } = testContext(library);
    const command = sourceCommand({ subcommand: 'add', url: 'https://example.com/a' });
    await handleInteraction(asInteraction(command), ctx);
    expect(firstPayload(command, 'reply')).toMatchObject({ content: REFUSAL, flags: MessageFlags.Ephemeral });
    expect(library.calls).toEqual([]);
    expect(logLines.find((l) => l.msg === 'refused: not a moderator')).toMatchObject({ command: 'source', userId: USER_ID });
  });

  it('accepts a moderator role and asks for exactly one of url and file', async () => {
    const { ctx } = testContext(new FakeLibrary());
    const command = sourceCommand({ subcommand: 'add' }, { roles: [MOD_ROLE] });
    await handleInteraction(asInteraction(command), ctx);
    expect(firstPayload(command, 'reply')).toMatchObject({ content: ONE_OF_URL_OR_FILE, flags: MessageFlags.Ephemeral });
  });

  it('/source remove of an unknown source answers with suggestions, ephemerally', async () => {
    const { ctx } = testContext(new FakeLibrary());
    const command = sourceCommand({ subcommand: 'remove', source: 'nothing.txt' }, { permissions: MANAGE_GUILD });
    await execute(command, ctx);
    expect(firstPayload(command, 'reply')).toMatchObject({ flags: MessageFlags.Ephemeral, content: expect.stringContaining('No source named `nothing.txt`') });
  });
});

describe('/source remove confirmation buttons', () => {
  it('shows Remove and Cancel, and removing needs a moderator at press time', async () => {
    const library = new FakeLibrary();
    const { payload, confirm } = await confirmationIds(library, '001_rates.txt');
    expect(payload.flags).toBe(MessageFlags.Ephemeral);
    expect(payload.components?.[0]?.components.map((b) => b.type === ComponentType.Button && 'label' in b && b.label)).toEqual(['Remove', 'Cancel']);

    const demoted = press(confirm, false);
    await handleInteraction(asInteraction(demoted), testContext(library).ctx);
    expect(firstPayload(demoted, 'reply')).toMatchObject({ content: REFUSAL, flags: MessageFlags.Ephemeral });
    expect(library.calls.filter((c) => c.method === 'removeSource')).toEqual([]);
  });

  it('only the moderator who asked may press them', async () => {
    const library = new FakeLibrary();
    const { confirm } = await confirmationIds(library, '001_rates.txt');
    const other = press(confirm, true);
    Object.assign(other.user, { id: '900000000000000009' });
    await removeButton.execute(other, testContext(library).ctx);
    expect(firstPayload(other, 'reply')).toMatchObject({ content: NOT_YOURS, flags: MessageFlags.Ephemeral });
  });

  it('a forged confirm pressed on another message is ignored: nothing removed, that message not edited, the confirmation still open', async () => {
    const library = new FakeLibrary();
    const { confirm } = await confirmationIds(library, '001_rates.txt');
    // The same moderator, the real token, but pressed on a public answer that carries other buttons.
    const forged = press(confirm, true, ['sources:page:1']);
    await handleInteraction(asInteraction(forged), testContext(library).ctx);
    expect(forged.calls).toEqual([{ method: 'reply', payload: expect.objectContaining({ content: NOT_ON_MESSAGE, flags: MessageFlags.Ephemeral }) }]);
    expect(library.calls.filter((c) => c.method === 'removeSource')).toEqual([]);
    const real = press(confirm, true);
    await handleInteraction(asInteraction(real), testContext(library).ctx);
    expect(firstPayload(real, 'editReply')).toMatchObject({ embeds: [{ title: 'Removed' }] });
  });

  it('Remove removes, with who did it', async () => {
    const library = new FakeLibrary();
    const { confirm } = await confirmationIds(library, '001_rates.txt');
    const button = press(confirm, true);
    await handleInteraction(asInteraction(button), testContext(library).ctx);
    expect(library.calls.find((c) => c.method === 'removeSource')?.args).toEqual(['001_rates.txt', { id: USER_ID, tag: 'mod_anna' }]);
    expect(firstPayload(button, 'editReply')).toMatchObject({ embeds: [{ title: 'Removed' }], components: [] });
  });

  it('Cancel removes nothing, and a used confirmation has expired', async () => {
    const library = new FakeLibrary();
    const { cancel, confirm } = await confirmationIds(library, '001_rates.txt');
    const cancelled = press(cancel, true);
    await removeButton.execute(cancelled, testContext(library).ctx);
    expect(firstPayload(cancelled, 'update')).toMatchObject({ embeds: [{ title: 'Cancelled' }], components: [] });
    const late = press(confirm, true);
    await removeButton.execute(late, testContext(library).ctx);
    expect(firstPayload(late, 'update')).toMatchObject({ embeds: [{ title: 'Expired' }], components: [] });
    expect(library.calls.filter((c) => c.method === 'removeSource')).toEqual([]);
  });

  it('says why a removal failed', async () => {
    const library = new FakeLibrary();
    library.removeSource = () => Promise.reject(new SourceChangeError('could not move 001_rates.txt to .trash/: permission denied'));
    const { confirm } = await confirmationIds(library, '001_rates.txt');
    const button = press(confirm, true);
    await removeButton.execute(button, testContext(library).ctx);
    expect(firstPayload(button, 'editReply').embeds[0]?.description).toContain('permission denied');
  });
});

describe('PendingRemovals', () => {
  it('expires, closes, and keeps at most maxEntries', () => {
    let now = 0;
    const pending = new PendingRemovals({ ttlMs: 1000, maxEntries: 2, now: () => now });
    const first = pending.open('a.md', 'A', 'u1');
    expect(pending.get(first)).toMatchObject({ sourceId: 'a.md', userId: 'u1' });
    now = 1001;
    expect(pending.get(first)).toBeUndefined();
    const second = pending.open('b.md', 'B', 'u1');
    pending.close(second);
    expect(pending.get(second)).toBeUndefined();
    const tokens = ['c', 'd', 'e'].map((id) => pending.open(`${id}.md`, id, 'u1'));
    expect(pending.size).toBe(2);
    expect(pending.get(tokens[0] ?? '')).toBeUndefined();
    expect(tokens[2]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps confirmations per moderator: one opening many drops only their own oldest', () => {
    const pending = new PendingRemovals({ now: () => 0 });
    const anna = pending.open('a.md', 'A', 'anna');
    const bobs = Array.from({ length: 150 }, (_, i) => pending.open(`b${i}.md`, `B${i}`, 'bob'));
    expect(pending.get(anna)).toMatchObject({ sourceId: 'a.md', userId: 'anna' });
    const kept = DEFAULT_CONFIRMS_PER_USER;
    expect(pending.openFor('bob')).toBe(kept);
    expect(pending.size).toBe(kept + 1);
    expect(bobs.slice(0, -kept).every((t) => pending.get(t) === undefined)).toBe(true);
    expect(bobs.slice(-kept).map((t) => pending.get(t)?.sourceId)).toEqual(Array.from({ length: kept }, (_, i) => `b${150 - kept + i}.md`));
    pending.close(anna);
    expect(pending.openFor('anna')).toBe(0);
  });
});

describe('/source add helpers', () => {
  it('puts https:// in front of an address typed without a scheme', () => {
    expect(articleUrl(' example.com/news/a ')).toBe('https://example.com/news/a');
    expect(articleUrl('http://example.com/a')).toBe('http://example.com/a');
    expect(articleUrl('file:///etc/passwd')).toBe('file:///etc/passwd');
  });

  it('refuses uploads by name and size before downloading', () => {
    const settings = { maxSourceBytes: 1000 };
    expect(uploadProblem({ name: 'scan.pdf', url: 'https://cdn.example/x', size: 10 }, settings)).toBe('scan.pdf is not a .txt, .md or .html file');
    expect(uploadProblem({ name: 'big.txt', url: 'https://cdn.example/x', size: 5000 }, settings)).toBe('big.txt: 4.8 KB is over the 1000 bytes limit (MAX_SOURCE_BYTES)');
    expect(uploadProblem({ name: 'ok.md', url: 'https://cdn.example/x', size: 1000 }, settings)).toBeUndefined();
  });

  it('shows reasons for the problems moderators can fix, not for bugs', () => {
    expect(problemReason(new FetchError('the server answered 404'))).toBe('the server answered 404');
    expect(problemReason(new TypeError('x is undefined'))).toBeUndefined();
  });

  it('formats an added article within Discord limits, escaping its text', () => {
    const reply = formatSourceAdded({
      source: source('a.md', 'Ping @everyone', 3, 'https://example.com/a'),
      firstSentences: ['x'.repeat(5000), 'Hello <@123> world.', 'Third.'],
      replaced: false,
    });
    expect(totalEmbedLength(reply.embeds)).toBeLessThanOrEqual(6000);
    expect(reply.embeds[0]?.title).toBe(`Added: Ping @${ZWSP}everyone`);
    expect(reply.embeds[0]?.description).toContain(`<${ZWSP}@123>`);
    expect(reply.embeds[0]?.description?.length).toBeLessThanOrEqual(4096);
  });
});
