/**
 * SIGTERM while answering: the real `node --import tsx src/main.ts` against FakeDiscord. The reply in flight
 * finishes, then the process exits 0, leaving no process of its group behind.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleFile, botEnv, RATES, RATES_TITLE, sourcesFolder } from './support/bot-setup';
import { FakeDiscord } from './support/fake-discord';
import { groupAlive, startNode, within, type NodeProcess } from './support/processes';

const CALLBACK = { method: 'POST', path: /^\/interactions\/\d+\/[^/]+\/callback$/ };
/** Long enough that SIGTERM surely lands while the reply is held, short of Discord's 3 s deadline. */
const SLOW_REPLY_MS = 1_500;

let dir: string;
let fake: FakeDiscord;
let bot: NodeProcess | undefined;

beforeAll(async () => {
  dir = sourcesFolder('qa-bot-shutdown-', { 'rates.txt': articleFile(RATES_TITLE, RATES.held, RATES.cut) });
  fake = await FakeDiscord.start({ timeoutMs: 15_000 });
});

afterAll(async () => {
  bot?.kill();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('SIGTERM', () => {
  it('lets the reply in flight finish, then exits 0 with no process left', async () => {
    bot = startNode('src/main.ts', botEnv(fake, dir));
    await bot.waitForLog((l) => l.msg === 'slash commands registered', 15_000);

    const held = fake.delayNext(CALLBACK, { ms: SLOW_REPLY_MS });
    const inFlight = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question: 'What interest rate did the central bank keep?' } });
    await expect.poll(() => held.hits, { timeout: 5_000 }).toBe(1);

    const signalledAt = Date.now();
    process.kill(-bot.pid, 'SIGTERM');
    const exit = await within(bot.exited, 10_000, 'exiting after SIGTERM');
    const tookMs = Date.now() - signalledAt;

    expect(exit).toEqual({ code: 0, signal: null });
    const callback = await inFlight.callback(100);
    expect(callback.data.embeds?.[0]?.description).toContain('5.25 percent');
    expect(fake.requests.filter((r) => r.route?.endsWith('/callback')).map((r) => r.status)).toEqual([204]);
    // It waited for the held reply rather than dropping it.
    expect(tookMs).toBeGreaterThan(SLOW_REPLY_MS / 2);
    expect(bot.logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['shutting down', 'waiting for in-flight handlers', 'Discord bot stopped']),
    );
    expect(bot.logs.find((l) => l.msg === 'waiting for in-flight handlers')?.inflight).toBe(1);
    await expect.poll(() => fake.gateway.isConnected).toBe(false);
    await expect.poll(() => groupAlive(bot?.pid ?? 0), { timeout: 2_000 }).toBe(false);
  });
});
