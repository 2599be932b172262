import { describe, expect, it } from 'vitest';
import { Cooldown } from '../../src/discord/cooldown';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('Cooldown', () => {
  it('answers a quick follow-up: a burst of 3 at once, then refuses with the wait', () => {
    const c = clock();
    const cd = new Cooldown(3, { now: c.now });
    expect(cd.take('u1')).toEqual({ ok: true });
    c.advance(500);
    expect(cd.take('u1')).toEqual({ ok: true });
    expect(cd.take('u1')).toEqual({ ok: true });
    // The bucket is empty: the next question comes back 3 s after the first.
    expect(cd.take('u1')).toEqual({ ok: false, retryAfterSeconds: 3 });
    c.advance(1_000);
    expect(cd.take('u1')).toEqual({ ok: false, retryAfterSeconds: 2 });
    c.advance(1_499);
    expect(cd.take('u1')).toEqual({ ok: false, retryAfterSeconds: 1 });
    c.advance(1);
    expect(cd.take('u1')).toEqual({ ok: true });
    expect(cd.take('u1').ok).toBe(false);
  });

  it('then allows one question every `seconds`, however long the member keeps asking', () => {
    const c = clock();
    const cd = new Cooldown(3, { now: c.now });
    for (let i = 0; i < 3; i++) expect(cd.take('u1').ok).toBe(true);
    let answered = 0;
    // Asking every 100 ms for 30 s: one answer per 3 s, none more.
    for (let t = 0; t < 300; t++) {
      c.advance(100);
      if (cd.take('u1').ok) answered++;
    }
    expect(answered).toBe(10);
  });

  it('gives one question back for each quiet `seconds`, up to the burst', () => {
    const c = clock();
    const cd = new Cooldown(3, { now: c.now });
    for (let i = 0; i < 3; i++) cd.take('u1');
    c.advance(6_000); // two back
    expect(cd.take('u1').ok).toBe(true);
    expect(cd.take('u1').ok).toBe(true);
    expect(cd.take('u1').ok).toBe(false);
    c.advance(60_000); // never more than the burst
    for (let i = 0; i < 3; i++) expect(cd.take('u1').ok).toBe(true);
    expect(cd.take('u1').ok).toBe(false);
  });

  it('with burst 1 asks at most once every `seconds`', () => {
    const c = clock();
    const cd = new Cooldown(3, { now: c.now, burst: 1 });
    expect(cd.take('u1')).toEqual({ ok: true });
    expect(cd.take('u1')).toEqual({ ok: false, retryAfterSeconds: 3 });
    c.advance(1_500);
    expect(cd.take('u1')).toEqual({ ok: false, retryAfterSeconds: 2 });
    c.advance(1_500);
    expect(cd.take('u1')).toEqual({ ok: true });
  });

  it('a refused attempt does not extend the wait', () => {
    const c = clock();
    const cd = new Cooldown(3, { now: c.now });
    for (let i = 0; i < 3; i++) cd.take('u1');
    c.advance(2_000);
    expect(cd.take('u1').ok).toBe(false);
    c.advance(1_000);
    expect(cd.take('u1').ok).toBe(true);
  });

  it('is per user', () => {
    const cd = new Cooldown(3, { now: clock().now, burst: 1 });
    expect(cd.take('u1').ok).toBe(true);
    expect(cd.take('u2').ok).toBe(true);
    expect(cd.take('u1').ok).toBe(false);
    expect(cd.take('u2').ok).toBe(false);
  });

  it('exempts moderators and remembers nothing for them', () => {
    const cd = new Cooldown(3, { now: clock().now });
    for (let i = 0; i < 10; i++) expect(cd.take('mod', true).ok).toBe(true);
    expect(cd.size).toBe(0);
  });

  it('0 seconds disables it', () => {
    const cd = new Cooldown(0, { now: clock().now });
    expect(cd.enabled).toBe(false);
    for (let i = 0; i < 5; i++) expect(cd.take('u1').ok).toBe(true);
    expect(cd.size).toBe(0);
  });

  it('forgets a member whose bucket is full again, so memory stays bounded over time', () => {
    const c = clock();
    const cd = new Cooldown(1, { now: c.now });
    for (let i = 0; i < 100; i++) cd.take(`u${i}`);
    cd.take('u0');
    expect(cd.size).toBe(100);
    c.advance(1_000);
    cd.take('late');
    // u0 asked twice: its bucket is full again only after 2 s.
    expect(cd.size).toBe(2);
    c.advance(1_000);
    cd.prune();
    expect(cd.size).toBe(0);
  });

  it('never remembers more than maxEntries users, dropping the oldest', () => {
    const cd = new Cooldown(60, { now: clock().now, maxEntries: 3, burst: 1 });
    for (const u of ['a', 'b', 'c', 'd']) cd.take(u);
    expect(cd.size).toBe(3);
    expect(cd.take('a').ok).toBe(true); // forgotten
    expect(cd.take('d').ok).toBe(false);
  });
});
