/**
 * The bot side of bench/flood.ts, in its own process (run with --expose-gc) so that its heap is measured
 * without FakeDiscord's records: starts the real bot over the seed articles, then answers IPC requests.
 */
import { loadConfig } from '../../src/config';
import { startDiscordBot } from '../../src/discord/bot';
import { createLogger } from '../../src/logger';
import { ArticleLibrary } from '../../src/sources/library';

export type BotRequest = { type: 'measure' } | { type: 'stop' };
export type BotReply =
  | { type: 'ready' }
  | { type: 'memory'; heapUsed: number; rss: number; external: number; users: number; members: number }
  | { type: 'stopped' };

function send(message: BotReply): void {
  process.send?.(message);
}

function forceGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) gc();
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { secrets: [config.discordToken] });
  const { library } = await ArticleLibrary.open({ sourcesPath: config.sourcesDir });
  const bot = await startDiscordBot({ config, library, logger });
  process.on('message', (request: BotRequest) => {
    if (request.type === 'measure') {
      forceGc();
      const { heapUsed, rss, external } = process.memoryUsage();
      const members = bot.client.guilds.cache.reduce((total, guild) => total + guild.members.cache.size, 0);
      send({ type: 'memory', heapUsed, rss, external, users: bot.client.users.cache.size, members });
    } else if (request.type === 'stop') {
      void bot.stop().then(() => {
        send({ type: 'stopped' });
        process.exit(0);
      });
    }
  });
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  process.stderr.write(`flood bot: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
