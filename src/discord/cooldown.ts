import { DEFAULT_ASK_BURST } from '../config';

export type CooldownResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface CooldownOptions {
  /** Questions a member may ask at once before the pace applies (ASK_BURST); default DEFAULT_ASK_BURST. */
  burst?: number;
  /** Milliseconds clock; injectable for tests. */
  now?: () => number;
  /** Upper bound on remembered users; the oldest entries go first when full. */
  maxEntries?: number;
}

/**
 * Per-user token bucket: a member may ask `burst` questions at once, then one every `seconds`; each
 * `seconds` without asking gives one question back, up to `burst`. So a quick follow-up is answered and a
 * flood is not. A refused call costs nothing and does not extend the wait.
 *
 * Kept as one number per user (the generic cell rate algorithm): `ready` is when the bucket would be full
 * again. A user whose bucket is full is forgotten, so memory holds only members who asked recently.
 */
export class Cooldown {
  private readonly ms: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly maxEntries: number;
  /** userId -> time the bucket is full again. Insertion order = age order. */
  private readonly ready = new Map<string, number>();
  private lastPrune = 0;

  constructor(seconds: number, options: CooldownOptions = {}) {
    this.ms = Math.max(0, seconds) * 1000;
    this.burst = Math.max(1, Math.floor(options.burst ?? DEFAULT_ASK_BURST));
    this.now = options.now ?? Date.now;
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  }

  get enabled(): boolean {
    return this.ms > 0;
  }

  /** Number of users currently remembered (for tests and metrics). */
  get size(): number {
    return this.ready.size;
  }

  take(userId: string, exempt = false): CooldownResult {
    if (!this.enabled || exempt) return { ok: true };
    const now = this.now();
    if (now - this.lastPrune >= this.ms) this.prune(now);
    const full = Math.max(this.ready.get(userId) ?? now, now);
    // Each question in the bucket's debt adds `ms`; the bucket holds at most `burst` of them.
    const debtAfter = full + this.ms - now;
    const limit = this.burst * this.ms;
    if (debtAfter > limit) return { ok: false, retryAfterSeconds: Math.ceil((debtAfter - limit) / 1000) };
    this.ready.delete(userId);
    while (this.ready.size >= this.maxEntries) {
      const oldest = this.ready.keys().next().value;
      if (oldest === undefined) break;
      this.ready.delete(oldest);
    }
    this.ready.set(userId, full + this.ms);
    return { ok: true };
  }

  /** Drops every user whose bucket is full again. */
  prune(now = this.now()): void {
    this.lastPrune = now;
    for (const [user, full] of this.ready) if (full <= now) this.ready.delete(user);
  }
}
