/**
 * Faults, end to end: the real bot (startDiscordBot + ArticleLibrary) against FakeDiscord while the REST side
 * fails or rate-limits, the gateway drops or invalidates the session, a reload swaps the index under load and
 * a handler throws. After each, the bot keeps serving; handler failures are logged with their interaction id.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageFlags, type ClientOptions } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordBot, type RunningBot } from '../../src/discord/bot';
import { FAILURE_MESSAGE } from '../../src/discord/events/interactionCreate';
import { ArticleLibrary } from '../../src/sources/library';
import type { Library } from '../../src/sources/library-types';
import { memoryLogger } from '../discord/fakes';
import { botConfig, MANAGER_ROLE, MODERATOR } from './support/bot-setup';
import { FakeDiscord, type InteractionHandle, type RecordedCallback } from './support/fake-discord';

const TOKEN = 'faults-bot-token';
const CALLBACK = { method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/ };
/** Skips discord.js's 5 s wait between two IDENTIFYs so the re-identify test stays fast. */
const noIdentifyThrottle: Pick<ClientOptions, 'ws'> = { ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) } };

/**
 * Two article sets with disjoint vocabulary, so any answer tells which set it came from; hundreds of files each,
 * so that a reload takes long enough for many interactions to arrive while it runs.
 */
const SETS = {
  volcano: { size: 600, title: 'Volcano report', question: 'How high did the volcano ash rise?' },
  penguin: { size: 900, title: 'Penguin report', question: 'How many penguins were counted?' },
} as const;
type SetName = keyof typeof SETS;

const volcanoArticle = (i: number) => `---
title: ${SETS.volcano.title} ${i}
---
The Kela volcano erupted again on day ${i}, sending ash ${i + 5} kilometres into the sky.

Villagers near the crater were evacuated by boat before the lava reached the coast.

Geologists measured the ash cloud from an observatory on the ridge.
`;
const penguinArticle = (i: number) => `---
title: ${SETS.penguin.title} ${i}
---
Researchers counted ${i * 100} emperor penguins at the colony during survey ${i}.

The chicks were tagged with tracking bands before the winter storms.

Biologists filmed the birds diving for krill under the sea ice.
`;

let root: string;
let fake: FakeDiscord;
let bot: RunningBot;
let log: ReturnType<typeof memoryLogger>;

/** The real library, except that a question containing "explode" makes it throw (an injected handler failure). */
function explodingOn(library: ArticleLibrary): Library {
  return new Proxy(library, {
    get(target, property) {
      if (property === 'ask') {
        return (question: string, options?: Parameters<Library['ask']>[1]) => {
          if (question.includes('explode')) throw new Error('index corrupted (injected)');
          return target.ask(question, options);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Points `root/current` at one set's folder with an atomic rename, as a deploy would. */
function serve(set: SetName): void {
  const next = join(root, 'next');
  rmSync(next, { force: true });
  symlinkSync(join(root, set), next);
  renameSync(next, join(root, 'current'));
}

function ask(question: string, member?: { username: string; roles?: string[] }) {
  return fake.sendInteraction({ type: 'command', name: 'ask', options: { question }, ...(member ? { member } : {}) });
}

function logged(msg: string, fields: Record<string, unknown> = {}) {
  return log.lines.find((l) => l.msg === msg && Object.entries(fields).every(([k, v]) => l[k] === v));
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'qa-bot-faults-'));
  mkdirSync(join(root, 'volcano'));
  mkdirSync(join(root, 'penguin'));
  for (let i = 1; i <= SETS.volcano.size; i++) writeFileSync(join(root, 'volcano', `v${i}.txt`), volcanoArticle(i));
  for (let i = 1; i <= SETS.penguin.size; i++) writeFileSync(join(root, 'penguin', `p${i}.txt`), penguinArticle(i));
  serve('volcano');
  const { library } = await ArticleLibrary.open({ sourcesPath: join(root, 'current') });
  fake = await FakeDiscord.start({ token: TOKEN, roles: [MANAGER_ROLE] });
  log = memoryLogger([TOKEN]);
  const config = botConfig(fake, join(root, 'current'), { discordToken: TOKEN });
  bot = await startDiscordBot({ config, library: explodingOn(library), logger: log.logger, clientOverrides: noIdentifyThrottle });
});

afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function expectVolcanoAnswer(handle: InteractionHandle): Promise<void> {
  expect((await handle.callback()).data.embeds?.[0]?.description).toContain(SETS.volcano.title);
}

describe('REST faults', () => {
  it('a 500 on the reply is retried and the answer arrives', async () => {
    fake.failNext(CALLBACK, { status: 500 });
    const handle = await ask(SETS.volcano.question);
    await expectVolcanoAnswer(handle);
    expect(fake.requests.filter((r) => r.path.includes(`/${handle.id}/`)).map((r) => r.status)).toEqual([500, 204]);
  });

  it('a 500 that persists is logged with the interaction id, and the next /ask is answered', async () => {
    // The reply and then the error reply: each the first attempt plus discord.js's 3 retries.
    const fault = fake.failNext(CALLBACK, { status: 500, times: 8 });
    const failed = await ask(SETS.volcano.question);
    await expect.poll(() => logged('could not send the error reply', { interactionId: failed.id }), { timeout: 10_000 }).toBeTruthy();
    expect(fault.hits).toBe(8);
    expect(logged('command failed', { interactionId: failed.id })).toMatchObject({ command: 'ask', err: { status: 500 } });
    await expectVolcanoAnswer(await ask(SETS.volcano.question));
  });

  it('a 429 on the reply is waited out (retry_after) and then answered within the deadline', async () => {
    fake.failNext(CALLBACK, { status: 429, retryAfter: 0.5 });
    const handle = await ask(SETS.volcano.question);
    await expectVolcanoAnswer(handle);
    const attempts = fake.requests.filter((r) => r.path.includes(`/${handle.id}/`));
    expect(attempts.map((r) => r.status)).toEqual([429, 204]);
    expect((attempts[1]?.time ?? 0) - (attempts[0]?.time ?? 0)).toBeGreaterThanOrEqual(450);
  });

  it('a 429 on a mention reply is waited out, and logged as a rate limit', async () => {
    fake.failNext({ method: 'POST', path: `/channels/${fake.channelId}/messages` }, { status: 429, retryAfter: 0.3 });
    const message = await fake.sendMessage({ content: SETS.volcano.question, mentionsBot: true });
    expect((await message.reply()).embeds[0]?.description).toContain(SETS.volcano.title);
    await expect.poll(() => logged('rate limited by Discord')).toMatchObject({ route: '/channels/:id/messages', method: 'POST' });
  });
});

describe('gateway faults', () => {
  it('after a dropped connection it resumes, and the interaction sent meanwhile is replayed and answered', async () => {
    const resumes = fake.resumeCount;
    fake.dropConnection({ code: 4000 });
    const meanwhile = await ask(SETS.volcano.question);
    expect(meanwhile.delivery).toBe('buffered');
    const resume = await fake.waitForResume(resumes + 1);
    expect(resume).toMatchObject({ accepted: true });
    expect(resume.replayed).toBeGreaterThanOrEqual(1);
    await expectVolcanoAnswer(meanwhile);
    await expect.poll(() => logged('gateway resumed')).toBeTruthy();
  });

  it('after a TCP reset (no close frame) it resumes too', async () => {
    const resumes = fake.resumeCount;
    fake.dropConnection('terminate');
    expect((await fake.waitForResume(resumes + 1)).accepted).toBe(true);
    await expectVolcanoAnswer(await ask(SETS.volcano.question));
  });

  it('after INVALID_SESSION (not resumable) it identifies again and keeps answering', async () => {
    const identifies = fake.identifyCount;
    fake.invalidateSession(false);
    await fake.waitForIdentify(identifies + 1);
    await expectVolcanoAnswer(await ask(SETS.volcano.question));
    expect(fake.gateway.identifies.at(-1)?.intents).toBe(fake.gateway.identifies[0]?.intents);
  });
});

describe('a handler that throws', () => {
  it('answers /ask with the ephemeral failure notice and logs the error with the interaction id', async () => {
    const handle = await ask('Why did the volcano explode?');
    const callback = await handle.callback();
    expect(callback.data).toMatchObject({ content: FAILURE_MESSAGE, flags: MessageFlags.Ephemeral });
    const line = logged('command failed', { interactionId: handle.id });
    expect(line).toMatchObject({ level: 50, command: 'ask', err: { message: 'index corrupted (injected)' } });
    await expectVolcanoAnswer(await ask(SETS.volcano.question));
  });

  it('answers a mention with the failure notice and logs the error with the message id', async () => {
    const message = await fake.sendMessage({ content: 'will the volcano explode?', mentionsBot: true });
    expect((await message.reply()).content).toBe(FAILURE_MESSAGE);
    expect(logged('mention handler failed', { messageId: message.id })).toMatchObject({ err: { message: 'index corrupted (injected)' } });
    const next = await fake.sendMessage({ content: SETS.volcano.question, mentionsBot: true });
    expect((await next.reply()).embeds[0]?.description).toContain(SETS.volcano.title);
  });
});

/** Which set an /ask or /sources reply came from; throws on a reply that mixes the two. */
function setOf(callback: RecordedCallback): SetName | 'declined' {
  const embed = callback.data.embeds?.[0];
  const text = `${embed?.title ?? ''}\n${embed?.description ?? ''}\n${embed?.footer?.text ?? ''}`;
  const named = (Object.keys(SETS) as SetName[]).filter((set) => text.includes(SETS[set].title));
  if (named.length !== 1) {
    if (embed?.title === 'Not answered by the loaded articles' && named.length === 0) return 'declined';
    throw new Error(`reply names ${named.length === 0 ? 'no' : 'both'} article sets:\n${text}`);
  }
  const set = named[0] as SetName;
  // The article count shown must be the same set's: "from N loaded articles" or "Loaded articles (N)".
  const count = /from (\d+) loaded articles|Loaded articles \((\d+)\)/.exec(text);
  expect(Number(count?.[1] ?? count?.[2]), `article count in:\n${text}`).toBe(SETS[set].size);
  return set;
}

describe('a reload swapping the index while interactions arrive', () => {
  it('answers each from the old set or the new one, never a mix', async () => {
    const firstRequest = fake.requests.length;
    let concurrent = 0;
    let current: SetName = 'volcano';
    for (let round = 0; round < 4; round++) {
      const next: SetName = current === 'volcano' ? 'penguin' : 'volcano';
      serve(next);
      const reload = await fake.sendInteraction({ type: 'command', name: 'reload', member: MODERATOR });
      let started = false;
      let finished = false;
      // The bot rebuilds the index after acknowledging (deferring) the /reload, and edits the reply once swapped.
      void reload.callback().then(() => (started = true));
      const done = reload.original().then((message) => ((finished = true), message));
      const during: InteractionHandle[] = [];
      // Questions for both sets (and /sources) keep coming until the reload has answered.
      for (let i = 0; !finished && i < 500; i++) {
        if (started) concurrent += 1;
        during.push(i % 5 === 4 ? await fake.sendInteraction({ type: 'command', name: 'sources' }) : await ask(SETS[i % 2 ? 'penguin' : 'volcano'].question));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect((await done).embeds[0]?.description).toContain(`Articles: ${SETS[current].size} → ${SETS[next].size}`);
      for (const handle of during) expect([current, next, 'declined']).toContain(setOf(await handle.callback()));
      // Once the reload has answered, everything comes from the new set.
      expect(setOf(await (await ask(SETS[next].question)).callback())).toBe(next);
      expect(setOf(await (await fake.sendInteraction({ type: 'command', name: 'sources' })).callback())).toBe(next);
      current = next;
    }
    // Many interactions really were handled while an index was being rebuilt and swapped.
    expect(concurrent).toBeGreaterThan(20);
    const failed = fake.requests.slice(firstRequest).filter((r) => r.status >= 300);
    expect(failed.map((r) => `${r.method} ${r.route} → ${r.status}`)).toEqual([]);
  });
});
