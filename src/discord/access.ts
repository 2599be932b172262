import { GatewayIntentBits, OAuth2Scopes, PermissionFlagsBits } from 'discord.js';

/**
 * The gateway intents the bot asks for: Guilds (slash commands, the guild list) and GuildMessages (mentions).
 * No MessageContent: Discord still sends the content of messages that mention the bot, and that is all it reads.
 */
export const BOT_INTENTS = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages;

/**
 * The channel permissions the bot uses, and the only ones its invite link asks for: Send Messages (answers to
 * mentions), Embed Links (answers are embeds), Read Message History (replying to the asking message).
 * Slash command replies need none of them. Never Administrator.
 */
export const BOT_PERMISSIONS = PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.ReadMessageHistory;

/** The invite link: the bot user plus its slash commands, with exactly BOT_PERMISSIONS. */
export function inviteUrl(applicationId: string): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(' '),
    permissions: BOT_PERMISSIONS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}
