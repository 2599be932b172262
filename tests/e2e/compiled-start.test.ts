/**
 * `npm start` runs the compiled build (scripts/launch.cjs): the bot it starts must log in to the loopback
 * Discord, register its commands and answer as the TypeScript sources do (its Discord modules and the
 * insights database are loaded on demand from the build's own chunks).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleFile, botEnv, RATES, RATES_TITLE, sourcesFolder } from './support/bot-setup';
import { FakeDiscord } from './support/fake-discord';
import { startNode, within, type NodeProcess } from './support/processes';

let dir: string;
/** The bot's DATA_DIR (its analysis cache), so that the repository's var/ is left alone. */
let data: string;
let fake: FakeDiscord;
let bot: NodeProcess | undefined;

beforeAll(async () => {
  dir = sourcesFolder('qa-bot-compiled-', { 'rates.txt': articleFile(RATES_TITLE, RATES.held, RATES.cut) });
  data = mkdtempSync(join(tmpdir(), 'qa-bot-compiled-data-'));
  fake = await FakeDiscord.start({ timeoutMs: 15_000 });
});

afterAll(async () => {
  bot?.kill();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (data) rmSync(data, { recursive: true, force: true });
});

describe('the compiled bot (npm start)', () => {
  it('logs in, registers its commands and answers /ask, then stops on SIGTERM', async () => {
    bot = startNode('scripts/launch.cjs', { ...botEnv(fake, dir), DATA_DIR: data }, [], ['src/main.ts']);
    await bot.waitForLog((l) => l.msg === 'slash commands registered', 30_000);
    const asked = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question: 'What interest rate did the central bank keep?' } });
    const callback = await asked.callback(10_000);
    expect(callback.data.embeds?.[0]?.description).toContain('5.25 percent');
    process.kill(-bot.pid, 'SIGTERM');
    expect(await within(bot.exited, 10_000, 'exiting after SIGTERM')).toEqual({ code: 0, signal: null });
  }, 60_000);
});
