/**
 * The shard side of `npm run start:sharded`: each shard process has its own ArticleLibrary, so a change made
 * through one shard (/reload, /source add|remove) is announced to the ShardingManager, which tells the other
 * shards to reload from the shared sources folder. It listens to the library's one change signal: reloads
 * done because a peer asked (or because this shard's own folder watcher saw the change, which every shard
 * has) are never announced, so one change causes exactly one reload per other shard and no loops.
 */
import type { Logger } from '../../logger';
import type { Library, LibraryChange } from '../../sources/library-types';

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

/** Reloads that every shard makes by itself, so the others need not hear of them. */
const NOT_RELAYED = new Set(['peer', 'watch', 'start']);

/**
 * Whether the other shards must reload after `change`: a change made here to the shared articles. A reload
 * relays only when it worked and its set differs from the one before: a server's /reload re-reads the shared
 * folder too, and when only that server's own folder changed, no other shard has anything to do.
 */
export function isRelayed(change: LibraryChange): boolean {
  if (change.kind !== 'reload') return true;
  return change.report.ok && change.report.changed !== false && !NOT_RELAYED.has(change.cause.trigger);
}

export interface ShardPeers {
  /** The logger with this process's shard id on every line. */
  logger: Logger;
  /** Starts applying the other shards' changes to this shard (a reload, which the library then announces). */
  serve(): void;
  /** `stop` runs when the manager exits, so no shard outlives it. */
  onManagerGone(stop: () => void): void;
}

/** This process's shard logger, or undefined when it was not spawned by a ShardingManager. */
export function shardLogger(logger: Logger, env: NodeJS.ProcessEnv = process.env): Logger | undefined {
  const ids = managedShardIds(env);
  return ids === undefined ? undefined : logger.child({ shard: ids.length === 1 ? ids[0] : ids });
}

/** Undefined when this process was not spawned by a ShardingManager. Announces the library's changes from now on. */
export function joinShards(
  library: Pick<Library, 'onChange' | 'reload'>,
  logger: Logger,
  channel: ManagerChannel | undefined = processChannel(),
  env: NodeJS.ProcessEnv = process.env,
): ShardPeers | undefined {
  const ids = managedShardIds(env);
  if (ids === undefined || channel === undefined) return undefined;
  const log = shardLogger(logger, env) ?? logger;
  library.onChange((change) => {
    if (!isRelayed(change)) return;
    log.info('articles changed on this shard; telling the other shards');
    channel.send({ type: LIBRARY_CHANGED, from: ids });
  });
  return {
    logger: log,
    serve: () =>
      channel.onMessage((message) => {
        if (isShardMessage(message, RELOAD_LIBRARY)) void library.reload({ trigger: 'peer', fromShards: message.from });
      }),
    onManagerGone: (stop) => channel.onDisconnect(stop),
  };
}
