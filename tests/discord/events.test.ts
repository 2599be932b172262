import { ActivityType, MessageFlags } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { CommandRegistry } from '../../src/discord/commands/index';
import { registry } from '../../src/discord/commands/index';
import { Cooldown } from '../../src/discord/cooldown';
import { FAILURE_MESSAGE, NOT_ON_MESSAGE, handleInteraction } from '../../src/discord/events/interactionCreate';
import { handleMessage, questionFromMention } from '../../src/discord/events/messageCreate';
import { handleReady, presenceText } from '../../src/discord/events/ready';
import { ZWSP } from '../../src/discord/render';
import type { Command } from '../../src/discord/types';
import {
  BOT_ID,
  FakeLibrary,
  MANAGE_GUILD,
  USER_ID,
  asInteraction,
  fakeAutocomplete,
  fakeButton,
  fakeCommand,
  fakeMessage,
  firstPayload,
  source,
  testContext,
} from './fakes';

function registryWith(command: Partial<Command> & { data: Command['data'] }): CommandRegistry {
  const full: Command = { execute: async () => undefined, ...command };
  return { commands: new Map([[command.data.name, full]]), buttons: [] };
}

/** A registry whose one command, /boom, throws before replying. */
function throwingRegistry(): CommandRegistry {
  return registryWith({
    data: { name: 'boom', description: 'x' },
    execute: async () => {
      throw new Error('kaput');
    },
  });
}

describe('interactionCreate', () => {
  it('routes a slash command to its module', async () => {
    const { ctx } = testContext();
    const i = fakeCommand('sources');
    await handleInteraction(asInteraction(i), ctx);
    expect(firstPayload(i).embeds[0]?.title).toBe('Loaded articles (2)');
  });

  it('routes autocomplete to the command', async () => {
    const { ctx } = testContext();
    const i = fakeAutocomplete('ask', 'source', 'rates');
    await handleInteraction(asInteraction(i), ctx);
    expect(i.calls[0]).toEqual({ method: 'respond', payload: [{ name: 'Central bank holds rates', value: '001_rates.txt' }] });
  });

  it('answers an unknown command ephemerally', async () => {
    const { ctx } = testContext();
    const i = fakeCommand('dance');
    await handleInteraction(asInteraction(i), ctx);
    expect(firstPayload(i)).toMatchObject({ flags: MessageFlags.Ephemeral });
    expect(firstPayload(i).content).toContain('`/dance`');
  });

  it('answers an unknown button ephemerally', async () => {
    const { ctx } = testContext();
    const b = fakeButton('something:else');
    await handleInteraction(asInteraction(b), ctx);
    expect(firstPayload(b)).toMatchObject({ flags: MessageFlags.Ephemeral, content: 'This button no longer works. Run the command again.' });
  });

  it('ignores a press whose custom id is not on its message: ephemeral notice, nothing run or edited', async () => {
    const { ctx, logLines } = testContext();
    const b = fakeButton('sources:page:1', ['vote:up:1']);
    await handleInteraction(asInteraction(b), ctx);
    expect(b.calls).toEqual([{ method: 'reply', payload: expect.objectContaining({ content: NOT_ON_MESSAGE, flags: MessageFlags.Ephemeral }) }]);
    expect(logLines.find((l) => l.msg === 'ignored: button not on its message')).toMatchObject({ customId: 'sources:page:1', userId: USER_ID });
  });

  it('a handler that throws before replying: logged with the interaction id, ephemeral reply', async () => {
    const { ctx, logLines } = testContext();
    const reg = throwingRegistry();
    const i = fakeCommand('boom');
    await handleInteraction(asInteraction(i), ctx, reg);
    expect(i.calls).toEqual([{ method: 'reply', payload: expect.objectContaining({ content: FAILURE_MESSAGE, flags: MessageFlags.Ephemeral }) }]);
    const logged = logLines.find((l) => l.msg === 'command failed');
    expect(logged).toMatchObject({ interactionId: i.id, command: 'boom', err: { message: 'kaput' } });
  });

  it('after a defer, the error replaces the thinking message (editReply)', async () => {
    const { ctx } = testContext();
    const reg = registryWith({
      data: { name: 'slow', description: 'x' },
      execute: async (interaction) => {
        await interaction.deferReply();
        throw new Error('late failure');
      },
    });
    const i = fakeCommand('slow');
    await handleInteraction(asInteraction(i), ctx, reg);
    expect(i.calls.map((c) => c.method)).toEqual(['deferReply', 'editReply']);
    expect(firstPayload(i, 'editReply').content).toBe(FAILURE_MESSAGE);
  });

  it('after a reply, the error is an ephemeral followUp', async () => {
    const { ctx } = testContext();
    const reg = registryWith({
      data: { name: 'half', description: 'x' },
      execute: async (interaction) => {
        await interaction.reply({ content: 'partial' });
        throw new Error('then failed');
      },
    });
    const i = fakeCommand('half');
    await handleInteraction(asInteraction(i), ctx, reg);
    expect(i.calls.map((c) => c.method)).toEqual(['reply', 'followUp']);
    expect(firstPayload(i, 'followUp')).toMatchObject({ content: FAILURE_MESSAGE, flags: MessageFlags.Ephemeral });
  });

  it('never throws, even when the error reply fails too', async () => {
    const { ctx, logLines } = testContext();
    const reg = throwingRegistry();
    const i = fakeCommand('boom');
    i.failNext = { method: 'reply', error: new Error('Unknown interaction') };
    await expect(handleInteraction(asInteraction(i), ctx, reg)).resolves.toBeUndefined();
    expect(logLines.some((l) => l.msg === 'could not send the error reply')).toBe(true);
  });

  it('a failing autocomplete responds with no choices', async () => {
    const library = new FakeLibrary();
    library.suggestSources = () => {
      throw new Error('nope');
    };
    const { ctx, logLines } = testContext(library);
    const i = fakeAutocomplete('ask', 'source', 'x');
    await handleInteraction(asInteraction(i), ctx);
    expect(i.calls).toEqual([{ method: 'respond', payload: [] }]);
    expect(logLines.some((l) => l.msg === 'autocomplete failed')).toBe(true);
  });

  it('refuses commands outside a guild', async () => {
    const { ctx } = testContext();
    const i = fakeCommand('sources', {}, { inGuild: false });
    await handleInteraction(asInteraction(i), ctx);
    expect(firstPayload(i).content).toBe('My commands only work in a server.');
  });

  it('/reload through the router: refused for a plain member, done for Manage Server', async () => {
    const library = new FakeLibrary();
    const { ctx } = testContext(library);
    const plain = fakeCommand('reload');
    await handleInteraction(asInteraction(plain), ctx, registry);
    expect(library.calls.filter((c) => c.method === 'reload')).toHaveLength(0);
    const mod = fakeCommand('reload', {}, { permissions: MANAGE_GUILD });
    await handleInteraction(asInteraction(mod), ctx, registry);
    expect(library.calls.filter((c) => c.method === 'reload')).toHaveLength(1);
  });
});

describe('messageCreate', () => {
  it('extracts the question from a direct mention, stripping <@id> and <@!id>', () => {
    expect(questionFromMention(fakeMessage(`<@${BOT_ID}> who wrote the letter?`).message, BOT_ID)).toBe('who wrote the letter?');
    expect(questionFromMention(fakeMessage(`hey <@!${BOT_ID}>, who wrote it`).message, BOT_ID)).toBe('hey , who wrote it');
  });

  it('ignores bots, @everyone, role mentions, reply-pings without a mention and DMs', () => {
    expect(questionFromMention(fakeMessage(`<@${BOT_ID}> hi`, { bot: true }).message, BOT_ID)).toBeUndefined();
    expect(questionFromMention(fakeMessage('@everyone hi', { mentionsBot: false, everyone: true }).message, BOT_ID)).toBeUndefined();
    expect(questionFromMention(fakeMessage('<@&777777777777777777> hi', { mentionsBot: false }).message, BOT_ID)).toBeUndefined();
    expect(questionFromMention(fakeMessage('thanks!', { mentionsBot: true }).message, BOT_ID)).toBeUndefined();
    expect(questionFromMention(fakeMessage(`<@${BOT_ID}> hi`, { inGuild: false }).message, BOT_ID)).toBeUndefined();
  });

  it('replies to the message with the same answer as /ask, pinging nobody', async () => {
    const library = new FakeLibrary();
    library.answer = {
      question: '',
      answered: true,
      confident: true,
      hits: [{ source: 'a.txt', title: 'A', sentence: 1, total: 3, score: 1, text: 'Hello @everyone.' }],
    };
    const { ctx } = testContext(library);
    const { message, replies } = fakeMessage(`<@${BOT_ID}> what was said?`);
    await handleMessage(message, ctx);
    expect(library.calls.find((c) => c.method === 'ask')?.args).toEqual(['what was said?', { conversation: expect.stringMatching(/:/) }]);
    expect(replies).toHaveLength(1);
    const r = replies[0] as { embeds: { description: string }[]; allowedMentions: unknown; failIfNotExists: boolean };
    expect(r.allowedMentions).toEqual({ parse: [], repliedUser: false });
    expect(r.embeds[0]?.description).toContain(`Hello @${ZWSP}everyone.`);
    expect(r.embeds[0]?.description).toContain('— A · sentence 1 of 3');
  });

  it('a bare mention gets the help text; an over-long question a notice', async () => {
    const { ctx } = testContext();
    const bare = fakeMessage(`<@${BOT_ID}>`);
    await handleMessage(bare.message, ctx);
    expect((bare.replies[0] as { embeds: { title: string }[] }).embeds[0]?.title).toBe('Article Q&A bot');
    const long = fakeMessage(`<@${BOT_ID}> ${'why '.repeat(100)}`);
    await handleMessage(long.message, ctx);
    expect((long.replies[0] as { content: string }).content).toContain('under 300 characters');
  });

  it('applies the cooldown to mentions, moderators exempt', async () => {
    const { ctx } = testContext(new FakeLibrary(), { cooldown: new Cooldown(5, { now: () => 0, burst: 1 }) });
    const a = fakeMessage(`<@${BOT_ID}> one?`);
    await handleMessage(a.message, ctx);
    const b = fakeMessage(`<@${BOT_ID}> two?`);
    await handleMessage(b.message, ctx);
    expect((b.replies[0] as { content: string }).content).toBe("You're asking quickly — try again in 5 s.");
    const mod = fakeMessage(`<@${BOT_ID}> three?`, { authorId: '300000000000000099', roles: ['400000000000000004'] });
    await handleMessage(mod.message, ctx);
    await handleMessage(mod.message, ctx);
    expect(mod.replies.every((r) => (r as { content?: string }).content === undefined)).toBe(true);
  });

  it('does not throw when the reply fails', async () => {
    const { ctx, logLines } = testContext();
    const { message } = fakeMessage(`<@${BOT_ID}> hi?`);
    (message as unknown as { reply: () => Promise<never> }).reply = async () => {
      throw new Error('Missing Permissions');
    };
    await expect(handleMessage(message, ctx)).resolves.toBeUndefined();
    expect(logLines.some((l) => l.msg === 'could not answer mention')).toBe(true);
  });
});

describe('ready', () => {
  it('presence reads "Watching N articles · /ask"', () => {
    expect(presenceText(new FakeLibrary())).toBe('2 articles · /ask');
    expect(presenceText(new FakeLibrary([source('a', 'A')]))).toBe('1 article · /ask');
    const presences: unknown[] = [];
    const client = {
      user: { tag: 'Bot#0001', id: BOT_ID, setPresence: (p: unknown) => presences.push(p) },
      guilds: { cache: { size: 1 } },
    };
    const { ctx, logLines } = testContext();
    handleReady(client as never, ctx);
    expect(presences).toEqual([{ status: 'online', activities: [{ name: '2 articles · /ask', type: ActivityType.Watching }] }]);
    expect(logLines.find((l) => l.msg === 'Discord bot ready')).toMatchObject({ user: 'Bot#0001', sources: 2 });
  });
});
