import { join } from 'node:path';
import { ConfigError, DEFAULT_DATA_DIR, DEFAULT_INSIGHTS_RETENTION_DAYS, fatalMessage, loadConfig, loadDotenv, type Config } from './config';
import { runChat } from './console/chat';
import { formatSkipped } from './console/format';
import { joinShards, shardLogger } from './discord/sharding/peer';
import type { InsightsStore } from './insights/store';
import { createLogger, type Logger } from './logger';
import { openAnalysisCache, type AnalysisCache } from './sources/analysis-cache';
import { ArticleLibrary } from './sources/library';
import { ServerLibraries } from './sources/server-libraries';
import { startAutoReload } from './sources/watch';
import { forTerminal } from './text/terminal';

/** Everything gets this long to close after SIGINT/SIGTERM before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 8_000;

async function openLibrary(config: Config, logger: Logger, cache: { cache?: AnalysisCache }): Promise<ArticleLibrary> {
  const consoleMode = config.discordToken === undefined;
  const { library, report } = await ArticleLibrary.open({
    sourcesPath: config.sourcesDir,
    maxSourceBytes: config.maxSourceBytes,
    allowPrivateUrls: config.allowPrivateUrls,
    logger,
    ...cache,
  });
  if (!report.ok) throw new ConfigError(`SOURCES_DIR: ${report.error ?? 'cannot be read'}`);
  for (const skipped of report.skipped) {
    // The console chat says it the way the CLI does; the bot logs it.
    if (consoleMode) process.stderr.write(`${forTerminal(formatSkipped(skipped))}\n`);
    else logger.warn({ file: skipped.file, reason: skipped.reason }, 'source skipped');
  }
  logger.info({ ...report.after, durationMs: report.durationMs, path: config.sourcesDir }, 'sources loaded');
  return library;
}

/** The analysis cache, warning in the console's words or the bot's log. */
function cacheOption(config: Config, logger: Logger, consoleMode: boolean): { cache?: AnalysisCache } {
  const warn = consoleMode ? (line: string) => process.stderr.write(`warning: ${line}\n`) : (line: string) => logger.warn(line);
  const cache = openAnalysisCache(config, warn);
  return cache ? { cache } : {};
}

async function startConsole(config: Config, library: ArticleLibrary, logger: Logger): Promise<void> {
  if (config.sourcesWatch) startAutoReload({ path: config.sourcesDir, library, logger });
  process.stderr.write('No DISCORD_TOKEN set: starting the console chat. Put a bot token in .env to connect to Discord.\n');
  await runChat({ library, input: process.stdin, output: process.stdout, interactive: process.stdin.isTTY === true, sourcesPath: config.sourcesDir });
}

/** DATA_DIR/bot.sqlite, or nothing with INSIGHTS=false. Never throws: a broken database only stops the recording. */
async function openInsights(config: Config, logger: Logger): Promise<InsightsStore> {
  // Loaded only for the bot: the console chat never opens the database.
  const { InsightsStore } = await import('./insights/store');
  if (config.insights === false) return InsightsStore.off();
  const path = join(config.dataDir ?? DEFAULT_DATA_DIR, 'bot.sqlite');
  const store = InsightsStore.open({ path, retentionDays: config.insightsRetentionDays ?? DEFAULT_INSIGHTS_RETENTION_DAYS, logger });
  if (store.recording) logger.info({ path, retentionDays: config.insightsRetentionDays }, 'recording insights');
  store.scheduleRetention();
  return store;
}

async function startDiscord(config: Config, library: ArticleLibrary, logger: Logger, root: Logger, cache: { cache?: AnalysisCache }): Promise<void> {
  // Loaded only when needed: the console chat starts faster without discord.js.
  const { startDiscordBot } = await import('./discord/bot');
  // Under `npm run start:sharded` this process is one shard: its article changes must reach the other shards.
  const shards = joinShards(library, root);
  // Shared articles are indexed once here; each server's own are indexed on first use (DATA_DIR).
  const servers = new ServerLibraries({
    shared: library,
    dataDir: config.dataDir ?? 'var',
    ...(config.serverIndexBudgetBytes !== undefined ? { budgetBytes: config.serverIndexBudgetBytes } : {}),
    ...(config.maxSourceBytes !== undefined ? { maxSourceBytes: config.maxSourceBytes } : {}),
    allowPrivateUrls: config.allowPrivateUrls ?? false,
    fallbackModeratorRoleIds: config.moderatorRoleIds,
    logger,
    // The same cache as the shared articles: a dropped or restarted server's index is not analysed again.
    ...cache,
  });
  const insights = await openInsights(config, logger);
  const bot = await startDiscordBot({ config, library, servers, logger, insights });
  shards?.serve();
  const shutdown = (signal: NodeJS.Signals | 'manager gone') => {
    logger.info({ signal }, 'shutting down');
    logger.info(indexDiagnostics(library, servers), 'indexes at shutdown');
    setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
    void bot.stop().then(() => {
      insights.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  shards?.onManagerGone(() => shutdown('manager gone'));
}

/** Servers listed one by one in the shutdown line; past this only the counts are given. */
const LISTED_SERVERS = 50;

/**
 * What this process held, for diagnostics: how often the shared index and each server's own were built or
 * swapped. Under sharding it shows that a shard held only its own servers' indexes and which changes reached it.
 */
function indexDiagnostics(shared: ArticleLibrary, servers: ServerLibraries): Record<string, unknown> {
  const { loaded, ...counts } = servers.stats();
  const listed = loaded.slice(-LISTED_SERVERS);
  return {
    shared: { generation: shared.generation, ...shared.counts() },
    servers: { ...counts, loaded: loaded.length, recent: Object.fromEntries(listed.map(({ guildId, ...entry }) => [guildId, entry])) },
  };
}

async function main(): Promise<void> {
  loadDotenv();
  const config = loadConfig();
  const consoleMode = config.discordToken === undefined;
  // In the console chat, info logs would interleave with the conversation on the terminal.
  const level = consoleMode && process.env.LOG_LEVEL === undefined ? 'warn' : config.logLevel;
  // A person reads the console chat's stderr: readable lines there, JSON lines for the bot.
  const root = createLogger(level, { secrets: [config.discordToken], human: consoleMode });
  // Under a ShardingManager every line says which shard wrote it.
  const logger = shardLogger(root) ?? root;
  const cache = cacheOption(config, logger, consoleMode);
  const library = await openLibrary(config, logger, cache);
  if (consoleMode) await startConsole(config, library, logger);
  else await startDiscord(config, library, logger, root, cache);
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${fatalMessage(error)}\n`);
  process.exit(1);
});
