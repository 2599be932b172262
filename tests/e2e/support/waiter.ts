/**
 * Lets tests await a condition over the fake's state. Every state change calls `notify()`, which
 * re-evaluates all pending conditions; this keeps the recording code free of per-event listener
 * bookkeeping and means a condition that is already true resolves immediately (no lost-wakeup race
 * between "the bot answered" and "the test started waiting").
 */

/** Returns the awaited value once the condition holds, or `undefined` while it does not yet. */
export type Check<T> = () => T | undefined;

interface Pending {
  evaluate(): void;
  cancel(reason: string): void;
}

export class FakeDiscordTimeoutError extends Error {
  override readonly name = 'FakeDiscordTimeoutError';
}

export class Waiter {
  readonly #pending = new Set<Pending>();
  #closedReason: string | null = null;

  /** @param describeState appended to timeout messages so a failing test shows what did happen. */
  constructor(private readonly describeState: () => string) {}

  notify(): void {
    for (const pending of [...this.#pending]) pending.evaluate();
  }

  until<T>(check: Check<T>, timeoutMs: number, what: string): Promise<T> {
    if (this.#closedReason !== null) {
      return Promise.reject(new Error(`FakeDiscord: cannot wait for ${what}: ${this.#closedReason}`));
    }
    return new Promise<T>((resolve, reject) => {
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.#pending.delete(pending);
        settle();
      };
      const pending: Pending = {
        evaluate: () => {
          let value: T | undefined;
          try {
            value = check();
          } catch (error) {
            finish(() => reject(error instanceof Error ? error : new Error(String(error))));
            return;
          }
          if (value !== undefined) finish(() => resolve(value));
        },
        cancel: (reason) => finish(() => reject(new Error(`FakeDiscord: stopped waiting for ${what}: ${reason}`))),
      };
      const timer = setTimeout(() => {
        const message = `FakeDiscord: timed out after ${timeoutMs} ms waiting for ${what}.\n${this.describeState()}`;
        finish(() => reject(new FakeDiscordTimeoutError(message)));
      }, timeoutMs);
      this.#pending.add(pending);
      pending.evaluate();
    });
  }

  /** Rejects every pending wait; later waits reject at once. Called when the fake shuts down. */
  close(reason: string): void {
    this.#closedReason = reason;
    for (const pending of [...this.#pending]) pending.cancel(reason);
  }
}
