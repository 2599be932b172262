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
  /** Upper bound on open confirmations; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

export const DEFAULT_CONFIRM_TTL_MS = 2 * 60_000;

/**
 * Removals waiting for their confirmation button. A button carries only a random token: source ids can
 * be longer than a custom_id allows, and a token cannot be forged into removing some other source.
 */
export class PendingRemovals {
  readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, PendingRemoval>();

  constructor(options: PendingRemovalsOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CONFIRM_TTL_MS;
    this.maxEntries = Math.max(1, options.maxEntries ?? 100);
    this.now = options.now ?? Date.now;
  }

  /** Returns the token for the buttons. */
  open(sourceId: string, title: string, userId: string): string {
    this.prune();
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    const token = randomUUID().replace(/-/g, '');
    this.entries.set(token, { sourceId, title, userId, expiresAt: this.now() + this.ttlMs });
    return token;
  }

  /** The removal a token stands for, unless it expired or was already answered. */
  get(token: string): PendingRemoval | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAt < this.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return entry;
  }

  /** Ends a confirmation, so its buttons cannot act twice. */
  close(token: string): void {
    this.entries.delete(token);
  }

  get size(): number {
    return this.entries.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [token, entry] of this.entries) if (entry.expiresAt < now) this.entries.delete(token);
  }
}
