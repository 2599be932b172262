/**
 * End to end: moderators manage the articles from Discord. The real bot (discord.js over HTTP and
 * WebSocket) against FakeDiscord, a real ArticleLibrary over a temp folder, and a loopback web server
 * serving the article pages and the uploaded files.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ApplicationCommandOptionType, InteractionResponseType, MessageFlags, PermissionFlagsBits, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordBot, type RunningBot } from '../../src/discord/bot';
import { NOT_YOURS, ONE_OF_URL_OR_FILE, REFUSAL } from '../../src/discord/commands/source';
import { NOT_ON_MESSAGE } from '../../src/discord/events/interactionCreate';
import { ArticleLibrary } from '../../src/sources/library';
import { TRASH_FOLDER } from '../../src/sources/folder-writer';
import { memoryLogger } from '../discord/fakes';
import { attachment } from './support/attachments';
import { articleFile, botConfig, MANAGER_ROLE, RATES, RATES_TITLE, sourcesFolder } from './support/bot-setup';
import { FakeDiscord, type MemberSpec } from './support/fake-discord';

const HARBOR_PAGE = readFileSync(new URL('../fixtures/pages/harbor-council-budget.html', import.meta.url), 'utf8');
const HARBOR_TITLE = 'Harbor City council approves $48m budget after late-night session';
const HARBOR_FILE = 'harbor-city-council-approves-48m-budget-after-late-night.md';

const ZOO_UPLOAD = `---
title: Panda cub born at the city zoo
---
# Panda cub born at the city zoo

A **panda cub** was born at the city zoo on Tuesday, the first in its 90-year history.

Keepers named the cub Bao, which means "treasure".
`;

const moderator: MemberSpec = { id: '123456789012345678', username: 'mod_anna', roles: ['Manager'] };
const otherModerator: MemberSpec = { id: '223456789012345678', username: 'mod_ben', roles: ['Manager'] };

let fake: FakeDiscord;
let bot: RunningBot;
let dir: string;
let pages: Server;
let pageBase: string;
const pageRequests: string[] = [];
let log: ReturnType<typeof memoryLogger>;

const PAGES: Record<string, { type: string; body: string }> = {
  '/news/harbor-budget': { type: 'text/html; charset=utf-8', body: HARBOR_PAGE },
  '/attachments/zoo.md': { type: 'text/markdown; charset=utf-8', body: ZOO_UPLOAD },
};

beforeAll(async () => {
  pages = createServer((request, response) => {
    pageRequests.push(request.url ?? '');
    const page = PAGES[request.url ?? ''];
    response.writeHead(page ? 200 : 404, { 'Content-Type': page?.type ?? 'text/plain' });
    response.end(page?.body ?? 'not found');
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pageBase = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;

  dir = sourcesFolder('qa-bot-e2e-sources-', { 'rates.txt': articleFile(RATES_TITLE, RATES.held, RATES.markets) });
  log = memoryLogger();
  // The pages and the "Discord CDN" are on 127.0.0.1 here.
  const { library } = await ArticleLibrary.open({ sourcesPath: dir, logger: log.logger, allowPrivateUrls: true });
  fake = await FakeDiscord.start({ roles: [MANAGER_ROLE] });
  const config = botConfig(fake, dir, { discordToken: 'e2e-sources-token', allowPrivateUrls: true });
  bot = await startDiscordBot({ config, library, logger: log.logger });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await new Promise((resolve) => pages?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function addUrl(url: string, member: MemberSpec = moderator) {
  return fake.sendInteraction({ type: 'command', name: 'source', subcommand: 'add', options: { url }, member });
}

async function answerTo(question: string): Promise<string> {
  const handle = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question } });
  return (await handle.callback()).data.embeds?.[0]?.description ?? '';
}

const sourceFiles = () => readdirSync(dir).filter((name) => !name.startsWith('.')).sort();

/** The custom_id of the button whose id starts with `prefix` on a bot message. */
function buttonId(message: APIMessage, prefix: string): string {
  const found = new RegExp(`"custom_id":"(${prefix}[^"]+)"`).exec(JSON.stringify(message.components ?? []));
  if (!found?.[1]) throw new Error(`no button ${prefix}… on the message`);
  return found[1];
}

async function askToRemove(id: string): Promise<APIMessage> {
  const handle = await fake.sendInteraction({ type: 'command', name: 'source', subcommand: 'remove', options: { source: id }, member: moderator });
  const callback = await handle.callback();
  expect(callback.data.flags).toBe(MessageFlags.Ephemeral);
  return handle.original();
}

describe('/source against FakeDiscord', () => {
  it('is registered with add (url, file) and remove, for Manage Server by default', () => {
    const command = fake.commands('guild').find((c) => c.name === 'source');
    expect(command?.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(command?.options).toMatchObject([
      { name: 'add', options: [{ name: 'url', type: ApplicationCommandOptionType.String }, { name: 'file', type: ApplicationCommandOptionType.Attachment }] },
      { name: 'remove', options: [{ name: 'source', required: true, autocomplete: true }] },
    ]);
  });

  it('refuses a member who is not a moderator, ephemerally, without fetching anything', async () => {
    const handle = await addUrl(`${pageBase}/news/harbor-budget`, { username: 'curious_reader' });
    expect((await handle.callback()).data).toMatchObject({ content: REFUSAL, flags: MessageFlags.Ephemeral });
    expect(pageRequests).toEqual([]);
    expect(sourceFiles()).toEqual(['rates.txt']);
  });

  it('asks for exactly one of url and file', async () => {
    const handle = await fake.sendInteraction({ type: 'command', name: 'source', subcommand: 'add', member: moderator });
    expect((await handle.callback()).data).toMatchObject({ content: ONE_OF_URL_OR_FILE, flags: MessageFlags.Ephemeral });
  });

  it('/source add url: fetches the page, saves it, indexes it at once and shows its opening', async () => {
    const handle = await addUrl(`${pageBase}/news/harbor-budget`);
    const callback = await handle.callback();
    expect(callback.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(callback.data.flags).toBe(MessageFlags.Ephemeral);
    const embed = (await handle.original()).embeds[0];
    expect(embed?.title).toBe(`Added: ${HARBOR_TITLE}`);
    expect(embed?.description).toContain('> Harbor City council approved a $48 million operating budget');
    expect(embed?.footer?.text).toBe(`${HARBOR_FILE} · 15 sentences`);
    // The page's canonical names another site, so the article keeps the address it was fetched from (issue 15).
    expect(embed?.url).toBe(`${pageBase}/news/harbor-budget`);

    expect(sourceFiles()).toEqual([HARBOR_FILE, 'rates.txt']);
    const saved = readFileSync(join(dir, HARBOR_FILE), 'utf8');
    expect(saved).toContain(`title: "${HARBOR_TITLE}"`);
    expect(saved).toContain('author: "Maria Delgado"');
    expect(saved).toMatch(/fetched: "\d{4}-\d\d-\d\dT/);

    expect(await answerTo('How many councillors voted against the budget?')).toContain(HARBOR_TITLE);
    await fake.waitForPresence((p) => p.activities[0]?.name === '2 articles · /ask');
    expect(log.lines.find((l) => l.msg === 'source added')).toMatchObject({ userId: moderator.id, userTag: 'mod_anna', source: HARBOR_FILE });
  });

  it('adding the same url again updates that source instead of duplicating it', async () => {
    const handle = await addUrl(`${pageBase}/news/harbor-budget`);
    expect((await handle.original()).embeds[0]?.title).toBe(`Updated: ${HARBOR_TITLE}`);
    expect(sourceFiles()).toEqual([HARBOR_FILE, 'rates.txt']);
  });

  it('says why a page could not be added, changing nothing', async () => {
    const handle = await addUrl(`${pageBase}/news/missing`);
    expect((await handle.original()).content).toBe('Could not add the article: the server answered 404. Nothing was changed.');
    expect(sourceFiles()).toEqual([HARBOR_FILE, 'rates.txt']);
  });

  it('/source add file: downloads the upload and adds it', async () => {
    const upload = attachment({ filename: 'zoo.md', url: `${pageBase}/attachments/zoo.md`, size: Buffer.byteLength(ZOO_UPLOAD), contentType: 'text/markdown; charset=utf-8' });
    const handle = await fake.sendInteraction({ type: 'command', name: 'source', subcommand: 'add', options: { file: upload.id }, attachments: [upload], member: moderator });
    const embed = (await handle.original()).embeds[0];
    expect(embed?.title).toBe('Added: Panda cub born at the city zoo');
    expect(embed?.footer?.text).toBe('panda-cub-born-at-the-city-zoo.md · 3 sentences');
    expect(await answerTo('What did keepers name the panda cub?')).toContain('Keepers named the cub Bao');
  });

  it('refuses an upload that is not an article file before downloading it', async () => {
    const upload = attachment({ filename: 'scan.pdf', url: `${pageBase}/attachments/scan.pdf`, size: 1000 });
    const handle = await fake.sendInteraction({ type: 'command', name: 'source', subcommand: 'add', options: { file: upload.id }, attachments: [upload], member: moderator });
    expect((await handle.callback()).data).toMatchObject({
      content: 'Could not add the article: scan.pdf is not a .txt, .md or .html file. Nothing was changed.',
      flags: MessageFlags.Ephemeral,
    });
    expect(pageRequests).not.toContain('/attachments/scan.pdf');
  });

  it('/source remove suggests the loaded articles', async () => {
    const handle = await fake.sendInteraction({ type: 'autocomplete', name: 'source', subcommand: 'remove', focused: 'source', options: { source: 'harbor' }, member: moderator });
    expect(await handle.choices()).toEqual([{ name: HARBOR_TITLE, value: HARBOR_FILE }]);
  });

  it('/source remove asks first; only the same moderator may answer, and Cancel changes nothing', async () => {
    const question = await askToRemove(HARBOR_FILE);
    expect(question.embeds[0]?.title).toBe('Remove this article?');

    const intruder = await fake.sendInteraction({ type: 'component', customId: buttonId(question, 'source:remove:confirm:'), member: otherModerator });
    expect((await intruder.callback()).data).toMatchObject({ content: NOT_YOURS, flags: MessageFlags.Ephemeral });

    const cancel = await fake.sendInteraction({ type: 'component', customId: buttonId(question, 'source:remove:cancel:'), member: moderator });
    const cancelled = await cancel.original();
    expect(cancelled.embeds[0]?.title).toBe('Cancelled');
    expect(cancelled.components).toEqual([]);
    expect(sourceFiles()).toContain(HARBOR_FILE);
    expect(await answerTo('How many councillors voted against the budget?')).toContain(HARBOR_TITLE);
  });

  it('a confirm button forged onto another message does nothing: ephemeral notice, that message left as it was', async () => {
    const question = await askToRemove(HARBOR_FILE);
    const ask = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question: 'How many councillors voted against the budget?' } });
    const answer = await ask.original();
    expect(answer.flags ?? 0).toBe(0);
    // The same moderator presses the real confirm id, but on the public answer, which has no such button.
    const forged = await fake.sendInteraction({ type: 'component', customId: buttonId(question, 'source:remove:confirm:'), member: moderator, message: answer });
    const callback = await forged.callback();
    expect(callback.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(callback.data).toMatchObject({ content: NOT_ON_MESSAGE, flags: MessageFlags.Ephemeral });
    expect(fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(forged.token))).toEqual([]);
    expect(sourceFiles()).toContain(HARBOR_FILE);
    // The confirmation itself is still open: its own Cancel answers it.
    const cancel = await fake.sendInteraction({ type: 'component', customId: buttonId(question, 'source:remove:cancel:'), member: moderator });
    expect((await cancel.original()).embeds[0]?.title).toBe('Cancelled');
  });

  it('confirming removes it from the index and moves its file to .trash/', async () => {
    const question = await askToRemove(HARBOR_FILE);
    const confirmId = buttonId(question, 'source:remove:confirm:');
    const confirm = await fake.sendInteraction({ type: 'component', customId: confirmId, member: moderator });
    expect((await confirm.callback()).type).toBe(InteractionResponseType.DeferredMessageUpdate);
    const done = await confirm.original();
    expect(done.embeds[0]?.title).toBe('Removed');
    expect(done.components).toEqual([]);

    expect(sourceFiles()).toEqual(['panda-cub-born-at-the-city-zoo.md', 'rates.txt']);
    expect(readdirSync(join(dir, TRASH_FOLDER))).toEqual([expect.stringMatching(new RegExp(`-${HARBOR_FILE}$`))]);
    expect(await answerTo('How many councillors voted against the budget?')).not.toContain(HARBOR_TITLE);
    expect(log.lines.find((l) => l.msg === 'source removed')).toMatchObject({ userId: moderator.id, userTag: 'mod_anna', source: HARBOR_FILE });

    // The same button again does nothing: that confirmation is used up.
    const again = await fake.sendInteraction({ type: 'component', customId: confirmId, member: moderator });
    expect((await again.original()).embeds[0]?.title).toBe('Expired');
  });

  it('made no unexpected requests', () => {
    fake.assertNoSurprises();
  });
});
