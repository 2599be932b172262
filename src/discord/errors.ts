import { ConfigError } from '../config';

export const TOKEN_REJECTED =
  'Discord rejected DISCORD_TOKEN (invalid or revoked). Reset the token in the Developer Portal (Bot > Reset Token) and update DISCORD_TOKEN.';

/** A ConfigError when `err` means the token was refused (discord.js TokenInvalid, REST 401, gateway 4004). */
export function asDiscordAuthError(err: unknown): ConfigError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; status?: unknown; message?: unknown };
  if (e.code === 'TokenInvalid' || e.status === 401 || e.code === 4004 || e.message === 'Authentication failed') {
    return new ConfigError(TOKEN_REJECTED);
  }
  return undefined;
}
