export { startDiscordBot, type RunningBot, type StartDiscordBotOptions } from './bot';
export { createDiscordClient } from './client';
export { deployCommands, registerCommands } from './register';
export { commandData } from './commands/index';
