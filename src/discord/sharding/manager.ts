/**
 * The manager side of `npm run start:sharded`: one discord.js ShardingManager per machine spawns one process
 * per shard (each runs src/main.ts, which discord.js points at its shard through SHARDS / SHARD_COUNT), relays
 * article changes between them, and stops them all on SIGTERM.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Routes, ShardingManager, type RESTGetAPIGatewayBotResult, type Shard } from 'discord.js';
import { ConfigError, type Config } from '../../config';
import type { Logger } from '../../logger';
import { asDiscordAuthError, asDiscordUnreachableError } from '../errors';
import { createRest } from '../register';
import { isShardMessage, LIBRARY_CHANGED, RELOAD_LIBRARY, type ShardMessage } from './peer';

/** What each shard process runs. */
export const SHARD_FILE = fileURLToPath(new URL('../../main.ts', import.meta.url));
/** Discord allows one IDENTIFY per 5 s per rate-limit bucket; discord.js spawns shards this far apart when they share one. */
const IDENTIFY_SPACING_MS = 5_500;
/** How long a shard may take to log in and become ready. */
const SHARD_READY_TIMEOUT_MS = 60_000;
/** A shard that dies this often within the window is crash-looping: respawning it again would only burn logins. */
const CRASH_LIMIT = 5;
const CRASH_WINDOW_MS = 60_000;

export interface ShardPlan {
  /** Shards across every machine; 'auto' = Discord's recommendation (GET /gateway/bot). */
  totalShards: number | 'auto';
  /** The shards this machine runs; 'all' = every one. */
  shardList: number[] | 'all';
}

/**
 * SHARD_COUNT (a whole number; unset = Discord's recommendation) and SHARD_LIST (this machine's shards, e.g.
 * `0-3` or `0,1,2`; unset = all; needs SHARD_COUNT so every machine agrees on the total).
 */
export function readShardPlan(env: NodeJS.ProcessEnv = process.env): ShardPlan {
  const count = env.SHARD_COUNT?.trim() || undefined;
  const list = env.SHARD_LIST?.trim() || undefined;
  if (count !== undefined && !/^[1-9]\d{0,5}$/.test(count)) {
    throw new ConfigError(`SHARD_COUNT must be a whole number of shards (1 or more); leave it unset for Discord's recommendation. Got ${JSON.stringify(count)}.`);
  }
  const totalShards = count === undefined ? 'auto' : Number(count);
  if (list === undefined) return { totalShards, shardList: 'all' };
  if (totalShards === 'auto') throw new ConfigError('SHARD_LIST needs SHARD_COUNT: every machine must use the same total number of shards.');
  const shardList = parseShardList(list);
  const outOfRange = shardList.filter((id) => id >= totalShards);
  if (outOfRange.length > 0) {
    throw new ConfigError(`SHARD_LIST has shard ids ${outOfRange.join(', ')}, but shard ids go from 0 to SHARD_COUNT - 1 (${totalShards - 1}).`);
  }
  return { totalShards, shardList };
}

function parseShardList(list: string): number[] {
  const ids = new Set<number>();
  for (const part of list.split(',').map((p) => p.trim()).filter(Boolean)) {
    const range = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    const first = Number(range?.[1]);
    const last = Number(range?.[2] ?? range?.[1]);
    if (!range || last < first) throw new ConfigError(`SHARD_LIST must list shard ids or ranges such as 0-3,8; ${JSON.stringify(part)} is neither.`);
    for (let id = first; id <= last; id += 1) ids.add(id);
  }
  if (ids.size === 0) throw new ConfigError('SHARD_LIST is empty; list shard ids such as 0-3, or leave it unset for all.');
  return [...ids].sort((a, b) => a - b);
}

/** GET /gateway/bot through DISCORD_API_URL (discord.js's own 'auto' would always ask discord.com). */
async function gatewayBot(config: Config): Promise<RESTGetAPIGatewayBotResult> {
  try {
    return (await createRest(config).get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  } catch (err) {
    throw asDiscordAuthError(err) ?? asDiscordUnreachableError(err, config.discordApiUrl) ?? err;
  }
}

export interface Shards {
  manager: ShardingManager;
  totalShards: number;
  shardList: number[];
  /** Spawns this machine's shards; resolves once all are ready. If one cannot start, stops them all and rejects. */
  spawn(): Promise<void>;
  /** SIGTERM to every shard (they finish the replies in flight), no respawns; SIGKILL after `deadlineMs`. Idempotent. */
  stop(deadlineMs: number): Promise<void>;
  /** Resolves with a shard id if that shard died CRASH_LIMIT times within a minute; respawning has stopped then. */
  crashLooping: Promise<number>;
}

/** Asks Discord (or DISCORD_API_URL) for the shard count and identify concurrency, and sets up the manager. */
export async function prepareShards(config: Config, plan: ShardPlan, logger: Logger): Promise<Shards> {
  const token = config.discordToken;
  if (token === undefined) throw new ConfigError('DISCORD_TOKEN is not set; the sharding manager needs it.');
  const gateway = await gatewayBot(config);
  const totalShards = plan.totalShards === 'auto' ? gateway.shards : plan.totalShards;
  const shardList = plan.shardList === 'all' ? [...Array(totalShards).keys()] : plan.shardList;
  // Shards in different buckets (id % max_concurrency) may IDENTIFY at the same time.
  const delay = shardList.length <= gateway.session_start_limit.max_concurrency ? 0 : IDENTIFY_SPACING_MS;

  const manager = new ShardingManager(SHARD_FILE, {
    totalShards,
    shardList,
    mode: 'process',
    respawn: true,
    // The shards run TypeScript: load tsx in each child as in `node --import tsx src/main.ts`.
    execArgv: ['--import', 'tsx'],
    token,
  });
  let stopping: Promise<void> | undefined;
  let crashLoop: (shardId: number) => void = () => undefined;
  const crashLooping = new Promise<number>((resolve) => (crashLoop = resolve));
  manager.on('shardCreate', (shard) =>
    watchShard(manager, shard, logger, {
      stopping: () => stopping !== undefined,
      onCrashLoop: () => {
        manager.respawn = false;
        crashLoop(shard.id);
      },
    }),
  );
  const stop = (deadlineMs: number) => (stopping ??= stopAll(manager, deadlineMs));

  const spawn = async () => {
    logger.info({ totalShards, shardList, delayMs: delay }, 'spawning shards');
    try {
      await manager.spawn({ amount: totalShards, delay, timeout: SHARD_READY_TIMEOUT_MS });
    } catch (err) {
      if (stopping) return; // stopped while spawning: the shard that was starting was told to stop
      // A shard that dies or times out before ready would be respawned forever (e.g. a revoked token): give up instead.
      await stop(5_000);
      throw err;
    }
  };
  return { manager, totalShards, shardList, spawn, stop, crashLooping };
}

function watchShard(manager: ShardingManager, shard: Shard, logger: Logger, hooks: { stopping(): boolean; onCrashLoop(): void }): void {
  const { stopping } = hooks;
  const log = logger.child({ shard: shard.id });
  const deaths: number[] = [];
  shard.on('spawn', () => {
    log.info({ pid: shard.process?.pid }, 'shard process started');
    // A shard spawned while stopping (the spawn loop is still running) stops at once.
    if (stopping()) shard.process?.kill('SIGTERM');
  });
  shard.on('ready', () => log.info('shard ready'));
  shard.on('death', (child) => {
    const { exitCode, signalCode } = child as ChildProcess;
    if (stopping()) {
      log.info({ exitCode, signalCode }, 'shard process exited');
      return;
    }
    log.warn({ exitCode, signalCode, respawn: manager.respawn }, 'shard process died');
    const now = Date.now();
    deaths.push(now);
    while ((deaths[0] ?? now) < now - CRASH_WINDOW_MS) deaths.shift();
    if (deaths.length >= CRASH_LIMIT) hooks.onCrashLoop();
  });
  shard.on('error', (err) => log.error({ err }, 'shard error'));
  shard.on('message', (message: unknown) => {
    if (isShardMessage(message, LIBRARY_CHANGED)) relayLibraryChange(manager, shard, message, log);
  });
}

/** Tells every other shard of this machine to reload; the one that changed already has. */
export function relayLibraryChange(manager: ShardingManager, origin: Shard, message: ShardMessage, log: Logger): void {
  const others = [...manager.shards.values()].filter((shard) => shard.id !== origin.id && shard.process !== null);
  log.info({ to: others.map((shard) => shard.id) }, 'articles changed on a shard; reloading the others');
  const reload: ShardMessage = { type: RELOAD_LIBRARY, from: message.from };
  for (const shard of others) shard.send(reload).catch((err: unknown) => log.warn({ err, to: shard.id }, 'could not reach a shard'));
}

async function stopAll(manager: ShardingManager, deadlineMs: number): Promise<void> {
  manager.respawn = false;
  const children = [...manager.shards.values()].flatMap((shard) => (shard.process ? [shard.process] : []));
  const exited = children.map((child) => exitOf(child));
  for (const child of children) child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs)));
  await Promise.race([Promise.all(exited), deadline]);
  clearTimeout(timer);
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function exitOf(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
