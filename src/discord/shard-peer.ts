/**
 * The shard side of `npm run start:sharded`: each shard process has its own ArticleLibrary, so a change made
 * through one shard (/reload, /source add|remove) is announced to the ShardingManager, which tells the other
 * shards to reload from the shared sources folder. Reloads done because a peer asked are never announced,
 * so one change causes exactly one reload per other shard and no loops.
 */
import type { Client } from 'discord.js';
import type { Logger } from '../logger';
import type { Library, ReloadReport } from '../sources/library-types';
import { updatePresence } from './events/ready';

/** Shard → manager: the served set of articles changed here. */
export const LIBRARY_CHANGED = 'qa-bot:library-changed';
/** Manager → the other shards: reload the articles. */
export const RELOAD_LIBRARY = 'qa-bot:reload-library';

export interface ShardMessage {
  type: typeof LIBRARY_CHANGED | typeof RELOAD_LIBRARY;
  /** The shard(s) of the process where the change happened. */
  from: number[];
}

export function isShardMessage(value: unknown, type: ShardMessage['type']): value is ShardMessage {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
}

/** The IPC channel to the ShardingManager (process.send and friends), injectable for tests. */
export interface ManagerChannel {
  send(message: ShardMessage): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Calls `listener` once the manager is gone (at once if it already is). */
  onDisconnect(listener: () => void): void;
}

/** This process's shard ids when a ShardingManager spawned it (it sets SHARDING_MANAGER and SHARDS), else undefined. */
export function managedShardIds(env: NodeJS.ProcessEnv = process.env): number[] | undefined {
  if (env.SHARDING_MANAGER !== 'true' || env.SHARDS === undefined) return undefined;
  const parsed: unknown = JSON.parse(env.SHARDS);
  const ids = Array.isArray(parsed) ? parsed : [parsed];
  return ids.every((id) => Number.isInteger(id)) ? (ids as number[]) : undefined;
}

export function processChannel(): ManagerChannel | undefined {
  if (typeof process.send !== 'function') return undefined;
  return {
    send: (message) => void process.send?.(message),
    onMessage: (listener) => void process.on('message', listener),
    onDisconnect: (listener) => {
      if (!process.connected) listener();
      else process.once('disconnect', listener);
    },
  };
}

/**
 * A view of `library` for the bot's handlers: after any of its async calls (reload, addSource, removeSource…)
 * settles with the served set swapped, `announce` runs. ArticleLibrary swaps counts() and sources() together
 * with the snapshot, so a new counts() object means a new set. Synchronous reads pass straight through.
 */
export function announcingLibrary(library: Library, announce: () => void): Library {
  return new Proxy(library, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const before = target.counts();
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then((settled: unknown) => {
          if (target.counts() !== before) announce();
          return settled;
        });
      };
    },
  });
}

export interface ShardPeers {
  /** Give this to the bot: the changes its handlers make reach the other shards. */
  library: Library;
  /** The logger with this process's shard id on every line. */
  logger: Logger;
  /** Starts applying the other shards' changes to this shard (reload, then refresh the presence). */
  serve(client: Client): void;
  /** `stop` runs when the manager exits, so no shard outlives it. */
  onManagerGone(stop: () => void): void;
}

/** Undefined when this process was not spawned by a ShardingManager. */
export function joinShards(
  library: Library,
  logger: Logger,
  channel: ManagerChannel | undefined = processChannel(),
  env: NodeJS.ProcessEnv = process.env,
): ShardPeers | undefined {
  const ids = managedShardIds(env);
  if (ids === undefined || channel === undefined) return undefined;
  const log = logger.child({ shard: ids.length === 1 ? ids[0] : ids });
  return {
    library: announcingLibrary(library, () => {
      log.info('articles changed on this shard; telling the other shards');
      channel.send({ type: LIBRARY_CHANGED, from: ids });
    }),
    logger: log,
    serve: (client) =>
      channel.onMessage((message) => {
        if (isShardMessage(message, RELOAD_LIBRARY)) void reloadForPeer(library, log, message.from, () => updatePresence(client, library));
      }),
    onManagerGone: (stop) => channel.onDisconnect(stop),
  };
}

/** Reloads the raw library (not the announcing view), so this reload is not announced again. */
async function reloadForPeer(library: Library, log: Logger, from: number[], after: () => void): Promise<ReloadReport> {
  const report = await library.reload();
  const fields = { fromShards: from, ok: report.ok, after: report.after, durationMs: report.durationMs };
  if (report.ok) log.info(fields, 'reloaded the articles after a change on another shard');
  else log.warn({ ...fields, error: report.error }, 'reload asked by another shard failed; the old index is still serving');
  after();
  return report;
}
