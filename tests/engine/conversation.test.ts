import { describe, expect, it } from 'vitest';
import { Conversations } from '../../src/engine/conversation';
import { createEngine } from '../../src/engine/engine';
import { fixtureDocuments } from './fixtures';

const engine = createEngine(fixtureDocuments());

function conversations() {
  let now = 0;
  const store = new Conversations({ now: () => now, memoryMs: 10 * 60_000 });
  return { store, advance: (ms: number) => (now += ms) };
}

describe('follow-up questions in a conversation', () => {
  it('asks a question that names no article of the previous answer’s article, and says so', () => {
    const { store } = conversations();
    expect(store.ask(engine, 'c', 'How high did the river peak?').hits[0]?.source).toBe('flood.md');
    // Alone, "What did the mayor say?" finds the election article; after the flood it stays there.
    expect(engine.ask('What did the mayor say?').hits[0]?.source).toBe('election.txt');
    const scoped = store.ask(engine, 'c', 'What did the mayor say?');
    expect(scoped.hits[0]?.text).toMatch(/never seen water/);
    expect(scoped.followUp).toEqual({ source: 'flood.md', title: 'River floods force thousands from homes in the valley' });
  });

  it('does not hold back a question that points at another article', () => {
    const { store } = conversations();
    store.ask(engine, 'c', 'Who makes the R21 vaccine?');
    // The vaccine article holds nothing about a river: the flood article answers.
    const moved = store.ask(engine, 'c', 'How high did the river peak?');
    expect(moved.hits[0]?.source).toBe('flood.md');
    expect(moved.followUp).toBeUndefined();
  });

  it('keeps conversations apart and forgets one after ten minutes', () => {
    const { store, advance } = conversations();
    store.ask(engine, 'a', 'How high did the river peak?');
    expect(store.ask(engine, 'b', 'What did the mayor say?').hits[0]?.source).toBe('election.txt');
    expect(store.ask(engine, 'a', 'What did the mayor say?').hits[0]?.source).toBe('flood.md');
    advance(10 * 60_000 + 1);
    expect(store.ask(engine, 'a', 'What did the mayor say?').hits[0]?.source).toBe('election.txt');
  });

  it('asks a question given a source as it is', () => {
    const { store } = conversations();
    store.ask(engine, 'c', 'How high did the river peak?');
    const answer = store.ask(engine, 'c', 'What did the mayor say?', { source: 'election.txt' });
    expect(answer.hits[0]?.source).toBe('election.txt');
    expect(answer.followUp).toBeUndefined();
  });
});
