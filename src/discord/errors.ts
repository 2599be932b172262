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

/** Network failures that mean Discord (or DISCORD_API_URL) could not be reached at all. */
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** The system error code somewhere in `err`'s cause chain (fetch wraps it: TypeError "fetch failed" → cause). */
function networkCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The address the bot talks to Discord at: DISCORD_API_URL, else Discord's own. */
export function discordAddress(apiUrl: string | undefined): string {
  return apiUrl ?? 'https://discord.com/api';
}

/** A one-line ConfigError when `err` means Discord could not be reached (no network, DNS, refused), else undefined. */
export function asDiscordUnreachableError(err: unknown, apiUrl: string | undefined): ConfigError | undefined {
  const code = networkCode(err);
  if (code === undefined) return undefined;
  return new ConfigError(
    `Could not reach Discord at ${discordAddress(apiUrl)} (${code}). Check the network connection${apiUrl === undefined ? '' : ' and DISCORD_API_URL'}, then start the bot again.`,
  );
}
