import { randomUUID } from 'node:crypto';

/** What a `/source remove` confirmation button stands for. */
export interface PendingRemoval {
  sourceId: string;
  title: string;
  /** Only this user may confirm or cancel. */
  userId: string;
  expiresAt: number;
}

export interface PendingRemovalsOptions {
  ttlMs?: number;
  /** Upper bound on one moderator's open confirmations; their own oldest goes first. */
  maxPerUser?: number;
  /** Upper bound on all open confirmations (memory); the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

export const DEFAULT_CONFIRM_TTL_MS = 2 * 60_000;
export const DEFAULT_CONFIRMS_PER_USER = 10;

/**
 * Removals waiting for their confirmation button. A button carries only a random token: source ids can
 * be longer than a custom_id allows, and a token cannot be forged into removing some other source.
 * Kept per moderator: one moderator opening many confirmations drops only their own oldest, never
 * another moderator's.
 */
export class PendingRemovals {
  readonly ttlMs: number;
  private readonly maxPerUser: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** token -> removal. Insertion order = age order. */
  private readonly entries = new Map<string, PendingRemoval>();
  /** userId -> that user's open tokens, oldest first. */
  private readonly byUser = new Map<string, string[]>();

  constructor(options: PendingRemovalsOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CONFIRM_TTL_MS;
    this.maxPerUser = Math.max(1, options.maxPerUser ?? DEFAULT_CONFIRMS_PER_USER);
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  /** Returns the token for the buttons. */
  open(sourceId: string, title: string, userId: string): string {
    this.prune();
    const own = this.byUser.get(userId) ?? [];
    while (own.length >= this.maxPerUser) {
      const oldest = own[0];
      if (oldest === undefined) break;
      this.close(oldest);
    }
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.close(oldest);
    }
    const token = randomUUID().replace(/-/g, '');
    this.entries.set(token, { sourceId, title, userId, expiresAt: this.now() + this.ttlMs });
    const tokens = this.byUser.get(userId);
    if (tokens === undefined) this.byUser.set(userId, [token]);
    else tokens.push(token);
    return token;
  }

  /** The removal a token stands for, unless it expired or was already answered. */
  get(token: string): PendingRemoval | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAt < this.now()) {
      this.close(token);
      return undefined;
    }
    return entry;
  }

  /** Ends a confirmation, so its buttons cannot act twice. */
  close(token: string): void {
    const entry = this.entries.get(token);
    if (entry === undefined) return;
    this.entries.delete(token);
    const tokens = this.byUser.get(entry.userId);
    if (tokens === undefined) return;
    const at = tokens.indexOf(token);
    if (at >= 0) tokens.splice(at, 1);
    if (tokens.length === 0) this.byUser.delete(entry.userId);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Open confirmations of one user (for tests and metrics). */
  openFor(userId: string): number {
    return this.byUser.get(userId)?.length ?? 0;
  }

  private prune(): void {
    const now = this.now();
    for (const [token, entry] of this.entries) if (entry.expiresAt < now) this.close(token);
  }
}
