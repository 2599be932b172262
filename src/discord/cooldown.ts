export type CooldownResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface CooldownOptions {
  /** Milliseconds clock; injectable for tests. */
  now?: () => number;
  /** Upper bound on remembered users; the oldest entries go first when full. */
  maxEntries?: number;
}

/**
 * Per-user cooldown. `take(userId)` succeeds at most once per `seconds` per user and remembers the use;
 * a refused call does not extend the wait. Expired entries are pruned, so memory stays bounded.
 */
export class Cooldown {
  private readonly ms: number;
  private readonly now: () => number;
  private readonly maxEntries: number;
  /** userId -> time the cooldown ends. Insertion order = age order. */
  private readonly until = new Map<string, number>();
  private lastPrune = 0;

  constructor(seconds: number, options: CooldownOptions = {}) {
    this.ms = Math.max(0, seconds) * 1000;
    this.now = options.now ?? Date.now;
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  }

  get enabled(): boolean {
    return this.ms > 0;
  }

  /** Number of users currently remembered (for tests and metrics). */
  get size(): number {
    return this.until.size;
  }

  take(userId: string, exempt = false): CooldownResult {
    if (!this.enabled || exempt) return { ok: true };
    const now = this.now();
    if (now - this.lastPrune >= this.ms) this.prune(now);
    const end = this.until.get(userId);
    if (end !== undefined && end > now) return { ok: false, retryAfterSeconds: Math.ceil((end - now) / 1000) };
    this.until.delete(userId);
    while (this.until.size >= this.maxEntries) {
      const oldest = this.until.keys().next().value;
      if (oldest === undefined) break;
      this.until.delete(oldest);
    }
    this.until.set(userId, now + this.ms);
    return { ok: true };
  }

  /** Drops every expired entry. */
  prune(now = this.now()): void {
    this.lastPrune = now;
    for (const [user, end] of this.until) if (end <= now) this.until.delete(user);
  }
}
