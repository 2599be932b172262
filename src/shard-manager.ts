/**
 * `npm run start:sharded`: runs the bot as one process per shard under discord.js's ShardingManager.
 * Discord requires sharding from 2,500 servers; see the README's "Sharding" section.
 */
import { ConfigError, fatalMessage, loadConfig, loadDotenv } from './config';
import { prepareShards, readShardPlan } from './discord/sharding/manager';
import { createLogger } from './logger';

/** Shards get this long to finish their replies in flight (they stop within 8 s themselves) before SIGKILL. */
const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  loadDotenv();
  const config = loadConfig();
  if (config.discordToken === undefined) throw new ConfigError('DISCORD_TOKEN is not set; the sharding manager needs a bot token.');
  const logger = createLogger(config.logLevel, { secrets: [config.discordToken] }).child({ role: 'shard-manager' });
  const plan = readShardPlan();

  const shards = await prepareShards(config, plan, logger);
  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping every shard');
    void shards.stop(SHUTDOWN_DEADLINE_MS).then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  void shards.crashLooping.then((shard) => {
    logger.error({ shard, crashes: 'too many within a minute' }, 'a shard keeps crashing; stopping every shard (see its errors above)');
    void shards.stop(SHUTDOWN_DEADLINE_MS).then(() => process.exit(1));
  });

  await shards.spawn();
  logger.info({ totalShards: shards.totalShards, shards: shards.shardList }, 'every shard of this machine is ready');
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${fatalMessage(error)}\n`);
  process.exit(1);
});
