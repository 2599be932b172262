/**
 * A flood of /ask interactions from many users through FakeDiscord, and what became of each: answered,
 * refused by the cooldown, something else, or never answered. Shared by tests/e2e/abuse.test.ts and
 * bench/flood.ts.
 */
import type { FakeDiscord, InteractionHandle, RecordedCallback } from './fake-discord';
import { snowflake } from './ids';

export interface FloodOptions {
  users: number;
  asksPerUser: number;
  /** Names this flood's users, so two floods in one run use different people. */
  label: string;
  question?: string;
  /** How long to wait for the last reply (default 30 s). */
  timeoutMs?: number;
}

export interface FloodFigures {
  interactions: number;
  answered: number;
  refusedByCooldown: number;
  /** Replied, but neither an answer nor a cooldown notice (e.g. an error message). */
  other: number;
  /** No reply at all before the timeout. */
  dropped: number;
  /** How many interactions got how many successful callbacks, e.g. `{ 1: 1000 }`. */
  callbacksPerInteraction: Record<number, number>;
  /** REST requests during the flood that Discord would have refused (status ≥ 300). */
  failedRequests: number;
  durationMs: number;
  latencyMs: { p50: number; p95: number; max: number };
}

const COOLDOWN_NOTICE = /^You're asking quickly — try again in \d+ s\.$/;
const CALLBACK_PATH = /^\/interactions\/(\d+)\/[^/]+\/callback$/;

/** Users ask in rounds (everyone's first ask, then everyone's second…), all without waiting for replies. */
export async function runFlood(fake: FakeDiscord, options: FloodOptions): Promise<{ figures: FloodFigures; handles: InteractionHandle[] }> {
  const question = options.question ?? 'What did Sanders say about the letter?';
  const users = Array.from({ length: options.users }, (_, i) => ({ id: snowflake(), username: `${options.label}_${i}` }));
  const firstRequest = fake.requests.length;
  const started = performance.now();
  const sent: { handle: InteractionHandle; at: number }[] = [];
  for (let round = 0; round < options.asksPerUser; round++) {
    for (const member of users) {
      const handle = await fake.sendInteraction({ type: 'command', name: 'ask', options: { question }, member });
      sent.push({ handle, at: Date.now() });
    }
  }
  const outcomes = await Promise.allSettled(sent.map(({ handle }) => handle.callback(options.timeoutMs ?? 30_000)));
  const durationMs = Math.round(performance.now() - started);

  const callbacks = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const latencies = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [o.value.time - (sent[i]?.at ?? 0)] : [])).sort((a, b) => a - b);
  const requests = fake.requests.slice(firstRequest);
  const figures: FloodFigures = {
    interactions: sent.length,
    answered: callbacks.filter(isAnswer).length,
    refusedByCooldown: callbacks.filter((c) => COOLDOWN_NOTICE.test(c.data.content ?? '')).length,
    other: callbacks.filter((c) => !isAnswer(c) && !COOLDOWN_NOTICE.test(c.data.content ?? '')).length,
    dropped: outcomes.length - callbacks.length,
    callbacksPerInteraction: callbackHistogram(sent.map(({ handle }) => handle.id), requests),
    failedRequests: requests.filter((r) => r.status >= 300).length,
    durationMs,
    latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), max: latencies.at(-1) ?? 0 },
  };
  return { figures, handles: sent.map(({ handle }) => handle) };
}

function isAnswer(callback: RecordedCallback): boolean {
  return (callback.data.embeds?.length ?? 0) > 0;
}

function callbackHistogram(ids: readonly string[], requests: readonly { path: string; status: number }[]): Record<number, number> {
  const perId = new Map(ids.map((id) => [id, 0]));
  for (const request of requests) {
    const id = CALLBACK_PATH.exec(request.path)?.[1];
    if (id !== undefined && request.status < 300 && perId.has(id)) perId.set(id, (perId.get(id) ?? 0) + 1);
  }
  const histogram: Record<number, number> = {};
  for (const count of perId.values()) histogram[count] = (histogram[count] ?? 0) + 1;
  return histogram;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0);
}
