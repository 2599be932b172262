import { randomBytes } from 'node:crypto';

/** Discord's epoch (2015-01-01T00:00:00Z); snowflakes count milliseconds from it. */
export const DISCORD_EPOCH_MS = 1_420_070_400_000;
const DISCORD_EPOCH = BigInt(DISCORD_EPOCH_MS);

let increment = 0n;

/**
 * A real-looking snowflake (timestamp in the high bits, a counter in the low ones), so that code which
 * derives creation times from ids, or sorts by id, behaves as it would against Discord.
 */
export function snowflake(at: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | increment).toString();
}

/** An opaque URL-safe token, shaped like Discord's interaction tokens (long base64url). */
export function interactionToken(interactionId: string): string {
  const prefix = Buffer.from(`interaction:${interactionId}:`).toString('base64url');
  return `${prefix}${randomBytes(48).toString('base64url')}`;
}

/** A gateway session id: 32 lowercase hex characters, as Discord sends in READY. */
export function sessionId(): string {
  return randomBytes(16).toString('hex');
}
