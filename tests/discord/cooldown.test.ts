import { describe, expect, it } from 'vitest';
import { Cooldown } from '../../src/discord/cooldown';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('Cooldown', () => {
  it('allows the first use, refuses until the time is up, then allows again', () => {
    const c = clock();
    const cd = new Cooldown(3, { now: c.now });
    expect(cd.take('u1')).toEqual({ ok: true });
    expect(cd.take('u1')).toEqual({ ok: false, retryAfterSeconds: 3 });
    c.advance(1_500);
    expect(cd.take('u1')).toEqual({ ok: false, retryAfterSeconds: 2 });
    c.advance(1_499);
    expect(cd.take('u1')).toEqual({ ok: false, retryAfterSeconds: 1 });
    c.advance(1);
    expect(cd.take('u1')).toEqual({ ok: true });
  });

  it('a refused attempt does not extend the wait', () => {
    const c = clock();
    const cd = new Cooldown(3, { now: c.now });
    cd.take('u1');
    c.advance(2_000);
    cd.take('u1');
    c.advance(1_000);
    expect(cd.take('u1').ok).toBe(true);
  });

  it('is per user', () => {
    const cd = new Cooldown(3, { now: clock().now });
    expect(cd.take('u1').ok).toBe(true);
    expect(cd.take('u2').ok).toBe(true);
    expect(cd.take('u1').ok).toBe(false);
  });

  it('exempts moderators and remembers nothing for them', () => {
    const cd = new Cooldown(3, { now: clock().now });
    expect(cd.take('mod', true).ok).toBe(true);
    expect(cd.take('mod', true).ok).toBe(true);
    expect(cd.size).toBe(0);
  });

  it('0 seconds disables it', () => {
    const cd = new Cooldown(0, { now: clock().now });
    expect(cd.enabled).toBe(false);
    for (let i = 0; i < 5; i++) expect(cd.take('u1').ok).toBe(true);
    expect(cd.size).toBe(0);
  });

  it('prunes expired entries so memory stays bounded over time', () => {
    const c = clock();
    const cd = new Cooldown(1, { now: c.now });
    for (let i = 0; i < 100; i++) cd.take(`u${i}`);
    expect(cd.size).toBe(100);
    c.advance(1_000);
    cd.take('late');
    expect(cd.size).toBe(1);
  });

  it('never remembers more than maxEntries users, dropping the oldest', () => {
    const cd = new Cooldown(60, { now: clock().now, maxEntries: 3 });
    for (const u of ['a', 'b', 'c', 'd']) cd.take(u);
    expect(cd.size).toBe(3);
    expect(cd.take('a').ok).toBe(true); // forgotten
    expect(cd.take('d').ok).toBe(false);
  });
});
