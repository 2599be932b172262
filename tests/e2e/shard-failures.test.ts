/**
 * The sharding manager (src/shard-manager.ts) when shards cannot run: a rejected token, and a shard that
 * crashes on every respawn. In both it stops whatever it started and exits 1, rather than respawning forever.
 * Every wait is for an event (a log line, an exit), each with its own generous bound, so a loaded machine,
 * where each process start through tsx takes seconds, only makes the tests slower.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOKEN_REJECTED } from '../../src/discord/errors';
import { articleFile, RATES, RATES_TITLE, sourcesFolder } from './support/bot-setup';
import { FakeDiscord } from './support/fake-discord';
import { groupAlive, SHAPED_TOKEN, startNode, within } from './support/processes';

/** Bounds of single steps: one process start, or one shard's death and respawn (seconds each under load). */
const STEP_MS = 30_000;

describe('the sharding manager with a rejected token', () => {
  it('exits 1 with the one-line token error, spawning no shard', { timeout: 2 * STEP_MS }, async () => {
    const strict = await FakeDiscord.start({ token: 'the-right-token', shards: 2 });
    const refused = startNode('src/shard-manager.ts', { DISCORD_TOKEN: SHAPED_TOKEN, DISCORD_API_URL: strict.restBase, LOG_LEVEL: 'info' });
    try {
      expect(await within(refused.exited, STEP_MS, 'the manager exiting')).toEqual({ code: 1, signal: null });
      expect(refused.stderr).toContain(`error: ${TOKEN_REJECTED}`);
      expect(refused.stderr).not.toContain(SHAPED_TOKEN);
      expect(strict.gateway.connections).toEqual([]);
    } finally {
      refused.kill();
      await strict.close();
    }
  });
});

describe('a shard that keeps crashing', () => {
  it('is respawned a few times, then the manager stops everything and exits 1', { timeout: 10 * STEP_MS }, async () => {
    const server = await FakeDiscord.start({ timeoutMs: 15_000 });
    const sources = sourcesFolder('qa-bot-crash-', { 'rates.txt': articleFile(RATES_TITLE, RATES.held) });
    const crashing = startNode('src/shard-manager.ts', { DISCORD_TOKEN: SHAPED_TOKEN, DISCORD_API_URL: server.restBase, SOURCES_DIR: sources, LOG_LEVEL: 'info', INSIGHTS: 'false' });
    try {
      const started = await crashing.waitForLog((l) => l.msg === 'shard process started', STEP_MS);
      await crashing.waitForLog((l) => l.msg === 'every shard of this machine is ready', STEP_MS);
      // From now on every respawn fails at once: the sources folder is gone.
      rmSync(sources, { recursive: true, force: true });
      process.kill(Number(started.pid), 'SIGKILL');
      const deaths = () => crashing.logs.filter((l) => l.msg === 'shard process died').length;
      for (let death = 1; death <= 5; death++) await crashing.waitForLog(() => deaths() >= death, STEP_MS);
      expect(await within(crashing.exited, STEP_MS, 'the manager giving up')).toEqual({ code: 1, signal: null });
      expect(crashing.logs.filter((l) => l.msg === 'shard process died').length).toBeGreaterThanOrEqual(5);
      expect(crashing.logs.some((l) => l.msg === 'a shard keeps crashing; stopping every shard (see its errors above)')).toBe(true);
      expect(crashing.stderr).toContain('SOURCES_DIR');
      await expect.poll(() => groupAlive(crashing.pid), { timeout: 5_000 }).toBe(false);
    } finally {
      crashing.kill();
      rmSync(sources, { recursive: true, force: true });
      await server.close();
    }
  });
});
