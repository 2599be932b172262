/**
 * `npx tsx bench/flood.ts [users] [asksPerUser] [floods]`: floods the real bot (in its own process, over FakeDiscord on
 * loopback) with users × asks /ask interactions, `floods` times (default 2) with new users each time, and reports what became of them
 * (answered, refused by the cooldown, dropped), how long it took, and the bot's heap after GC before and after
 * each flood. Default 200 users × 5 asks = 1,000 interactions per flood.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { FakeDiscord } from '../tests/e2e/support/fake-discord';
import { runFlood, type FloodFigures } from '../tests/e2e/support/flood';
import type { BotReply, BotRequest } from './flood/bot';

const COOLDOWN_SECONDS = 60;
const ASK_BURST = 3;
const SEEDS = fileURLToPath(new URL('../seeds', import.meta.url));
const SHAPED_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAx.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB';

type Memory = Extract<BotReply, { type: 'memory' }>;

function startBot(fake: FakeDiscord): ChildProcess {
  return fork(fileURLToPath(new URL('./flood/bot.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: {
      PATH: process.env.PATH ?? '',
      DISCORD_TOKEN: SHAPED_TOKEN,
      DISCORD_API_URL: fake.restBase,
      DISCORD_GUILD_ID: fake.guildId,
      SOURCES_DIR: SEEDS,
      ASK_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS),
      ASK_BURST: String(ASK_BURST),
      LOG_LEVEL: 'warn',
    },
  });
}

function next<T extends BotReply['type']>(bot: ChildProcess, type: T): Promise<Extract<BotReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the bot exited (${code}) before sending ${type}`));
    const listener = (received: BotReply) => {
      if (received.type !== type) return;
      bot.off('message', listener);
      bot.off('exit', onExit);
      resolve(received as Extract<BotReply, { type: T }>);
    };
    bot.on('message', listener);
    bot.once('exit', onExit);
  });
}

function request<T extends BotReply['type']>(bot: ChildProcess, message: BotRequest, reply: T): Promise<Extract<BotReply, { type: T }>> {
  const answer = next(bot, reply);
  bot.send(message);
  return answer;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function report(label: string, figures: FloodFigures, before: Memory, after: Memory): void {
  const { interactions, answered, refusedByCooldown, other, dropped, durationMs, latencyMs } = figures;
  console.log(`${label}: ${interactions} interactions in ${durationMs} ms (${Math.round((interactions / durationMs) * 1000)}/s)`);
  console.log(`  answered ${answered}, refused by cooldown ${refusedByCooldown}, other ${other}, dropped ${dropped}`);
  console.log(`  callbacks per interaction ${JSON.stringify(figures.callbacksPerInteraction)}, failed requests ${figures.failedRequests}`);
  console.log(`  latency p50 ${latencyMs.p50} ms, p95 ${latencyMs.p95} ms, max ${latencyMs.max} ms`);
  console.log(`  bot heap after GC ${mb(before.heapUsed)} → ${mb(after.heapUsed)}, rss ${mb(before.rss)} → ${mb(after.rss)}`);
  console.log(`  cached users ${before.users} → ${after.users}, cached members ${before.members} → ${after.members}`);
}

async function main(): Promise<void> {
  const users = Number(process.argv[2] ?? 200);
  const asksPerUser = Number(process.argv[3] ?? 5);
  const floods = Math.max(2, Number(process.argv[4] ?? 2));
  const fake = await FakeDiscord.start({ timeoutMs: 60_000 });
  const bot = startBot(fake);
  try {
    await next(bot, 'ready');
    const baseline = await request(bot, { type: 'measure' }, 'memory');
    // A warm-up so that the first measured flood does not pay for JIT and lazy discord.js structures.
    await runFlood(fake, { users: 20, asksPerUser: 1, label: 'warmup' });
    let before = await request(bot, { type: 'measure' }, 'memory');
    console.log(`bot heap after GC: ${mb(baseline.heapUsed)} at start, ${mb(before.heapUsed)} after a warm-up`);
    const results: { figures: FloodFigures; before: Memory; after: Memory }[] = [];
    for (let i = 1; i <= floods; i++) {
      // New users each time, as on a busy server: the cooldown answers each user's first ASK_BURST asks and refuses the rest.
      const { figures } = await runFlood(fake, { users, asksPerUser, label: `flood${i}` });
      const after = await request(bot, { type: 'measure' }, 'memory');
      report(`flood ${i}`, figures, before, after);
      results.push({ figures, before, after });
      before = after;
    }
    const first = results[0]?.after.heapUsed ?? 0;
    const last = results.at(-1)?.after.heapUsed ?? 0;
    console.log(`heap after flood 1 → after flood ${floods}: ${mb(first)} → ${mb(last)} (${mb(last - first)} over ${floods - 1} more floods)`);
    console.log(JSON.stringify({ users, asksPerUser, baseline, results }));
  } finally {
    await request(bot, { type: 'stop' }, 'stopped').catch(() => undefined);
    await once(bot, 'exit').catch(() => undefined);
    await fake.close();
  }
}

void main();
