import { ApplicationCommandOptionType, InteractionContextType, MessageFlags, PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import * as ask from '../../src/discord/commands/ask';
import * as help from '../../src/discord/commands/help';
import { commandData, findButton, registry } from '../../src/discord/commands/index';
import * as reload from '../../src/discord/commands/reload';
import * as sources from '../../src/discord/commands/sources';
import * as summary from '../../src/discord/commands/summary';
import { Cooldown } from '../../src/discord/cooldown';
import { handleInteraction } from '../../src/discord/events/interactionCreate';
import { ZWSP } from '../../src/discord/render';
import { SUMMARY_SENTENCES } from '../../src/sources/summary-length';
import type { Hit } from '../../src/engine/types';
import {
  FakeLibrary,
  MANAGE_GUILD,
  MOD_ROLE,
  USER_ID,
  asInteraction,
  fakeAutocomplete,
  fakeButton,
  fakeCommand,
  firstPayload,
  source,
  testContext,
} from './fakes';

const NO_MENTIONS = { parse: [], repliedUser: false };

function hit(overrides: Partial<Hit> = {}): Hit {
  return {
    source: '000_kim.txt',
    title: 'Kim Jong-un writes "very warm" letter to Trump',
    url: 'https://example.com/news/kim-letter',
    sentence: 4,
    total: 25,
    score: 2,
    text: 'It was a very warm, very positive letter.',
    ...overrides,
  };
}

describe('command definitions', () => {
  it('registers ask, summary, sources, reload, source, settings, insights and help, all guild-only', () => {
    const data = commandData();
    expect(data.map((c) => c.name)).toEqual(['ask', 'summary', 'sources', 'reload', 'source', 'settings', 'insights', 'help']);
    for (const c of data) expect(c.contexts).toEqual([InteractionContextType.Guild]);
    expect(registry.commands.size).toBe(8);
  });

  it('/ask has question (required, max 300), source (autocomplete) and results (1-5)', () => {
    const [question, src, results] = ask.data.options ?? [];
    expect(question).toMatchObject({ name: 'question', required: true, max_length: 300, type: ApplicationCommandOptionType.String });
    expect(src).toMatchObject({ name: 'source', required: false, autocomplete: true });
    expect(results).toMatchObject({ name: 'results', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 5 });
  });

  it('/summary has source (autocomplete) and sentences (1-10)', () => {
    expect(summary.data.options).toMatchObject([
      { name: 'source', autocomplete: true },
      { name: 'sentences', min_value: 1, max_value: 10 },
    ]);
  });

  it('/reload defaults to Manage Server', () => {
    expect(reload.data.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
  });
});

describe('/ask', () => {
  it('replies publicly with the answer embed, asking the library with top and source', async () => {
    const library = new FakeLibrary();
    library.answer = { question: '', answered: true, confident: true, hits: [hit()] };
    const { ctx } = testContext(library);
    const i = fakeCommand('ask', { question: 'What did the letter say?', source: '000_kim.txt', results: 2 });
    await ask.execute(i, ctx);
    expect(library.calls.find((c) => c.method === 'ask')?.args).toEqual([
      'What did the letter say?',
      { source: '000_kim.txt', top: 2, conversation: expect.stringMatching(/^\d+:/) },
    ]);
    expect(i.calls.map((c) => c.method)).toEqual(['reply']);
    const p = firstPayload(i);
    expect(p.flags).toBeUndefined();
    expect(p.allowedMentions).toEqual(NO_MENTIONS);
    const e = p.embeds[0]!;
    expect(e.title).toBe('Q: What did the letter say?');
    expect(e.description).toContain('> **It was a very warm, very positive letter.**');
    expect(e.description).toContain(
      '— [Kim Jong-un writes "very warm" letter to Trump](https://example.com/news/kim-letter) · sentence 4 of 25',
    );
    expect(e.footer?.text).toContain('from Kim Jong-un writes "very warm" letter to Trump');
  });

  it('defaults to 3 results and no source', async () => {
    const library = new FakeLibrary();
    const { ctx } = testContext(library);
    await ask.execute(fakeCommand('ask', { question: 'q?' }), ctx);
    expect(library.calls.find((c) => c.method === 'ask')?.args[1]).toEqual({ top: 3, conversation: expect.any(String) });
  });

  it('accepts a source given by exact title (case-insensitive)', async () => {
    const library = new FakeLibrary();
    const { ctx } = testContext(library);
    await ask.execute(fakeCommand('ask', { question: 'q?', source: 'central bank HOLDS rates' }), ctx);
    expect(library.calls.find((c) => c.method === 'ask')?.args[1]).toEqual({ source: '001_rates.txt', top: 3, conversation: expect.any(String) });
  });

  it('a decline says the articles do not answer and points to /sources', async () => {
    const library = new FakeLibrary();
    library.answer = { question: '', answered: false, confident: false, hits: [hit()], declineReason: 'weak-match' };
    const { ctx } = testContext(library);
    const i = fakeCommand('ask', { question: 'Who won the World Cup?' });
    await ask.execute(i, ctx);
    const e = firstPayload(i).embeds[0]!;
    expect(e.description).toContain('The loaded articles do not answer “Who won the World Cup?”');
    expect(e.description).toContain('/sources');
  });

  it('an unknown source gets an ephemeral error naming it', async () => {
    const library = new FakeLibrary();
    const { ctx } = testContext(library);
    const i = fakeCommand('ask', { question: 'q?', source: 'missing.txt' });
    await ask.execute(i, ctx);
    const p = firstPayload(i);
    expect(p.flags).toBe(MessageFlags.Ephemeral);
    expect(p.content).toContain('No source named `missing.txt` is loaded.');
    expect(library.calls.some((c) => c.method === 'ask')).toBe(false);
  });

  it('an UnknownSourceError thrown by the library (source vanished in a reload) becomes an ephemeral error', async () => {
    const library = new FakeLibrary();
    const { ctx } = testContext(library);
    const listed = library.sources();
    // Listed when the option is resolved, gone by the time the library answers.
    library.sources = () => [...listed, source('gone.txt', 'Gone')];
    const i = fakeCommand('ask', { question: 'q?', source: 'gone.txt' });
    await ask.execute(i, ctx);
    expect(firstPayload(i).content).toContain('No source named `gone.txt`');
    expect(firstPayload(i).flags).toBe(MessageFlags.Ephemeral);
  });

  it('other library errors propagate to the router', async () => {
    const library = new FakeLibrary();
    library.ask = () => {
      throw new Error('index corrupt');
    };
    const { ctx } = testContext(library);
    await expect(ask.execute(fakeCommand('ask', { question: 'q?' }), ctx)).rejects.toThrow('index corrupt');
  });

  it('enforces the cooldown with an ephemeral "try again in N s", moderators exempt', async () => {
    let now = 0;
    const { ctx } = testContext(new FakeLibrary(), { cooldown: new Cooldown(3, { now: () => now, burst: 1 }) });
    const first = fakeCommand('ask', { question: 'q?' });
    await ask.execute(first, ctx);
    expect(firstPayload(first).embeds).toHaveLength(1);
    const second = fakeCommand('ask', { question: 'q?' });
    await ask.execute(second, ctx);
    expect(firstPayload(second)).toMatchObject({ content: "You're asking quickly — try again in 3 s.", flags: MessageFlags.Ephemeral });
    now = 3000;
    const third = fakeCommand('ask', { question: 'q?' });
    await ask.execute(third, ctx);
    expect(firstPayload(third).content).toBeUndefined();
    for (const spec of [{ permissions: MANAGE_GUILD }, { roles: [MOD_ROLE] }]) {
      const mod = fakeCommand('ask', { question: 'q?' }, spec);
      await ask.execute(mod, ctx);
      await ask.execute(mod, ctx);
      expect(mod.calls.every((c) => (c.payload as { content?: string }).content === undefined)).toBe(true);
    }
  });

  it('escapes markdown and mentions from the question and article text', async () => {
    const library = new FakeLibrary();
    library.answer = { question: '', answered: true, confident: true, hits: [hit({ text: '@everyone **breaking** <@&123>' })] };
    const { ctx } = testContext(library);
    const i = fakeCommand('ask', { question: 'what about @here?' });
    await ask.execute(i, ctx);
    const e = firstPayload(i).embeds[0]!;
    expect(e.title).toBe(`Q: what about @${ZWSP}here?`);
    expect(e.description).toContain(`@${ZWSP}everyone \\*\\*breaking\\*\\* <${ZWSP}@&123>`);
  });
});

describe('source autocomplete', () => {
  it('answers from suggestSources(focused, 25): name = title, value = id', async () => {
    const library = new FakeLibrary();
    const { ctx } = testContext(library);
    const i = fakeAutocomplete('ask', 'source', 'kim');
    await ask.autocomplete(i, ctx);
    expect(library.calls.find((c) => c.method === 'suggestSources')?.args).toEqual(['kim', 25]);
    expect(i.calls).toEqual([
      { method: 'respond', payload: [{ name: 'Kim Jong-un writes "very warm" letter to Trump', value: '000_kim.txt' }] },
    ]);
  });

  it('truncates names to 100, adds the id when titles collide, skips ids over 100', async () => {
    const long = 'T'.repeat(150);
    const library = new FakeLibrary([
      source('a.txt', long),
      source('b.txt', 'Same'),
      source('c.txt', 'Same'),
      source('x'.repeat(101), 'Too long id'),
      source('d.txt', ''),
    ]);
    const { ctx } = testContext(library);
    const i = fakeAutocomplete('summary', 'source', '');
    await summary.autocomplete(i, ctx);
    const choices = i.calls[0]?.payload as { name: string; value: string }[];
    expect(choices.map((c) => c.value)).toEqual(['a.txt', 'b.txt', 'c.txt', 'd.txt']);
    expect(choices[0]?.name).toHaveLength(100);
    expect(choices[0]?.name.endsWith('…')).toBe(true);
    expect(choices[1]?.name).toBe('Same (b.txt)');
    expect(choices[2]?.name).toBe('Same (c.txt)');
    expect(choices[3]?.name).toBe('d.txt');
    for (const c of choices) expect(c.value.length).toBeLessThanOrEqual(100);
  });

  it('returns at most 25 choices', async () => {
    const library = new FakeLibrary(Array.from({ length: 40 }, (_, i) => source(`${i}.txt`, `Article ${i}`)));
    const { ctx } = testContext(library);
    const i = fakeAutocomplete('ask', 'source', '');
    await ask.autocomplete(i, ctx);
    expect(i.calls[0]?.payload).toHaveLength(25);
  });
});

describe('/summary', () => {
  it('one embed per source with attribution', async () => {
    const library = new FakeLibrary();
    library.summaries = [
      { source: '000_kim.txt', title: 'Kim letter', url: 'https://example.com/k', total: 25, sentences: [{ sentence: 1, text: 'Kim wrote.' }] },
      { source: '001_rates.txt', title: 'Rates', total: 12, sentences: [{ sentence: 2, text: 'Rates held.' }] },
    ];
    const { ctx } = testContext(library);
    const i = fakeCommand('summary', { sentences: 4 });
    await summary.execute(i, ctx);
    expect(library.calls.find((c) => c.method === 'summarize')?.args).toEqual([{ sentences: 4 }]);
    const p = firstPayload(i);
    expect(p.embeds.map((e) => e.title)).toEqual(['Kim letter', 'Rates']);
    expect(p.embeds[0]?.url).toBe('https://example.com/k');
    expect(p.embeds[1]?.footer?.text).toBe('001_rates.txt · 1 of 12 sentences');
  });

  it('restricts to one source, and says when an unknown one is asked for', async () => {
    const library = new FakeLibrary();
    const { ctx } = testContext(library);
    await summary.execute(fakeCommand('summary', { source: '001_rates.txt' }), ctx);
    expect(library.calls.find((c) => c.method === 'summarize')?.args).toEqual([{ sentences: 3, source: '001_rates.txt' }]);
    const i = fakeCommand('summary', { source: 'nope' });
    await summary.execute(i, ctx);
    expect(firstPayload(i)).toMatchObject({ flags: MessageFlags.Ephemeral });
    expect(firstPayload(i).content).toContain('No source named `nope`');
  });

  it('says how many were left out when there are more than 10', async () => {
    const library = new FakeLibrary();
    library.summaries = Array.from({ length: 12 }, (_, k) => ({
      source: `${k}.txt`,
      title: `T${k}`,
      total: 5,
      sentences: [{ sentence: 1, text: 'S.' }],
    }));
    const { ctx } = testContext(library);
    const i = fakeCommand('summary');
    await summary.execute(i, ctx);
    expect(firstPayload(i).embeds).toHaveLength(10);
    expect(firstPayload(i).content).toContain('2 left out');
  });
});

describe('/sources', () => {
  it('lists title, id, sentence count and a Discord timestamp', async () => {
    const { ctx } = testContext(new FakeLibrary());
    const i = fakeCommand('sources');
    await sources.execute(i, ctx);
    const d = firstPayload(i).embeds[0]!.description!;
    expect(d).toContain('**[Kim Jong-un writes "very warm" letter to Trump](https://example.com/news/kim-letter)**');
    expect(d).toContain('`000_kim.txt` · 25 sentences · loaded <t:1714564800:R>');
    expect(d).toContain('**Central bank holds rates**\n`001_rates.txt` · 12 sentences');
  });

  it('page buttons re-render the requested page in place', async () => {
    const library = new FakeLibrary(Array.from({ length: 20 }, (_, i) => source(`${i}.txt`, `Article ${i}`)));
    const { ctx } = testContext(library);
    const b = fakeButton('sources:page:1');
    const handler = findButton(b.customId);
    expect(handler).toBe(sources.pageButton);
    await handler!.execute(b, ctx);
    expect(b.calls[0]?.method).toBe('update');
    expect(firstPayload(b).embeds[0]?.footer?.text).toContain('page 2 of 2');
  });
});

describe('/reload', () => {
  it('refuses a member without Manage Server or a moderator role, ephemerally, without reloading', async () => {
    const library = new FakeLibrary();
    const { ctx, logLines } = testContext(library);
    const i = fakeCommand('reload');
    await handleInteraction(asInteraction(i), ctx);
    expect(i.calls).toHaveLength(1);
    expect(firstPayload(i)).toMatchObject({ content: reload.REFUSAL, flags: MessageFlags.Ephemeral });
    expect(library.calls.some((c) => c.method === 'reload')).toBe(false);
    expect(logLines.find((l) => l.msg === 'refused: not a moderator')).toMatchObject({ command: 'reload' });
  });

  it('defers, reloads and reports counts before → after and skipped files', async () => {
    const library = new FakeLibrary();
    library.reloadReport.skipped = [{ file: 'notes.docx', reason: 'unsupported file type' }];
    const { ctx } = testContext(library);
    const i = fakeCommand('reload', {}, { permissions: MANAGE_GUILD });
    await handleInteraction(asInteraction(i), ctx);
    expect(i.calls.map((c) => c.method)).toEqual(['deferReply', 'editReply']);
    expect(i.calls[0]?.payload).toEqual({ flags: MessageFlags.Ephemeral });
    const d = firstPayload(i, 'editReply').embeds[0]!.description!;
    expect(d).toContain('Articles: 2 → 3');
    expect(d).toContain('Sentences: 37 → 50');
    expect(d).toContain('• `notes.docx` — unsupported file type');
    expect(library.calls.find((c) => c.method === 'reload')?.args).toEqual([{ trigger: '/reload', interactionId: i.id, userId: USER_ID }]);
  });

  it('a moderator role is enough', async () => {
    const library = new FakeLibrary();
    const { ctx } = testContext(library);
    const i = fakeCommand('reload', {}, { roles: [MOD_ROLE] });
    await handleInteraction(asInteraction(i), ctx);
    expect(library.calls.some((c) => c.method === 'reload')).toBe(true);
  });

  it('a failed reload says the old index is still serving and what failed', async () => {
    const library = new FakeLibrary();
    library.reloadReport = {
      ok: false,
      before: { sources: 2, sentences: 37 },
      after: { sources: 2, sentences: 37 },
      skipped: [],
      error: 'cannot read seeds: EACCES',
      durationMs: 2,
    };
    const { ctx } = testContext(library);
    const i = fakeCommand('reload', {}, { permissions: MANAGE_GUILD });
    await reload.execute(i, ctx);
    const e = firstPayload(i, 'editReply').embeds[0]!;
    expect(e.title).toContain('Reload failed');
    expect(e.description).toContain('The previous index is still serving: 2 articles, 37 sentences.');
    expect(e.description).toContain('What failed: cannot read seeds: EACCES');
  });
});

describe('/help', () => {
  it('explains the commands and mention usage, ephemerally', async () => {
    const { ctx } = testContext();
    const i = fakeCommand('help');
    await help.execute(i, ctx);
    const p = firstPayload(i);
    expect(p.flags).toBe(MessageFlags.Ephemeral);
    expect(p.embeds[0]?.description).toContain('@ArticleBot who wrote the letter?');
  });
});

describe('the source: option as a person types it (issue 14)', () => {
  const similar = () =>
    new FakeLibrary([source('a.md', 'Harbour bridge reopens', 4), source('b.md', 'Harbour strike ends', 3), source('001_rates.txt', 'Central bank holds rates', 12)]);

  it('takes a title or an unambiguous start of one, any case, for /ask and /summary', async () => {
    const library = similar();
    const { ctx } = testContext(library);
    await ask.execute(fakeCommand('ask', { question: 'When did it reopen?', source: 'harbour BRIDGE' }), ctx);
    expect(library.calls.find((c) => c.method === 'ask')?.args[1]).toMatchObject({ source: 'a.md' });
    await summary.execute(fakeCommand('summary', { source: 'Central bank holds rates' }), ctx);
    expect(library.calls.find((c) => c.method === 'summarize')?.args).toEqual([{ sentences: 3, source: '001_rates.txt' }]);
  });

  it('an ambiguous start lists the matches, ephemerally, and asks nothing', async () => {
    const library = similar();
    const { ctx } = testContext(library);
    const i = fakeCommand('summary', { source: 'harbour' });
    await summary.execute(i, ctx);
    const p = firstPayload(i);
    expect(p.flags).toBe(MessageFlags.Ephemeral);
    expect(p.content).toContain('`harbour` matches 2 articles:\n• Harbour bridge reopens (`a.md`)\n• Harbour strike ends (`b.md`)');
    expect(library.calls.some((c) => c.method === 'summarize')).toBe(false);
  });
});

describe('quote marks and summary lengths (issue 14)', () => {
  it('a decline echoes a question that has its own quote marks in different ones', async () => {
    const library = new FakeLibrary();
    library.answer = { question: '', answered: false, confident: false, hits: [], declineReason: 'weak-match' };
    const { ctx } = testContext(library);
    const i = fakeCommand('ask', { question: 'Who said “very warm”?' });
    await ask.execute(i, ctx);
    expect(firstPayload(i).embeds[0]?.description).toContain('The loaded articles do not answer «Who said “very warm”?».');
  });

  it('/help states the one summary range', async () => {
    const { ctx } = testContext();
    const i = fakeCommand('help');
    await help.execute(i, ctx);
    expect(firstPayload(i).embeds[0]?.description).toContain(`\`sentences:\` (${SUMMARY_SENTENCES.min}–${SUMMARY_SENTENCES.max})`);
    const option = summary.data.options?.find((o) => o.name === 'sentences') as { min_value?: number; max_value?: number } | undefined;
    expect([option?.min_value, option?.max_value]).toEqual([SUMMARY_SENTENCES.min, SUMMARY_SENTENCES.max]);
  });
});
