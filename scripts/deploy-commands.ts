/**
 * Registers the slash commands (one bulk overwrite, the same function the bot uses at start-up) and exits.
 * Usage: npx tsx scripts/deploy-commands.ts  (reads DISCORD_TOKEN, DISCORD_GUILD_ID, DISCORD_API_URL from .env / env)
 */
import { ConfigError, readConfig } from '../src/config';
import { deployCommands } from '../src/discord/register';
import { createLogger } from '../src/logger';

async function main(): Promise<number> {
  const config = readConfig();
  if (config.discordToken === undefined) {
    console.error('DISCORD_TOKEN is not set: put it in .env or the environment.');
    return 1;
  }
  const logger = createLogger(config.logLevel, { secrets: [config.discordToken] });
  const { count, applicationId } = await deployCommands(config, logger);
  const scope = config.discordGuildId !== undefined ? `in guild ${config.discordGuildId}` : 'globally (may take up to an hour to appear)';
  console.log(`Registered ${count} commands for application ${applicationId} ${scope}.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error(`Could not register the commands: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
