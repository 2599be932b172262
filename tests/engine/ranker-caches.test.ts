import { describe, expect, it, vi } from 'vitest';
import { backgroundFrequencies } from '../../src/engine/background';
import { DEFAULT_EXPANSION, nearSpellings } from '../../src/engine/expansion';
import { DEFAULT_RANKING, Ranker, RERANK_FEATURES, rerankWeights, type RankedSentence } from '../../src/engine/ranking';
import { SentenceIndex } from '../../src/engine/sentence-index';
import type { SourceDocument } from '../../src/engine/types';
import { fixtureDocuments } from './fixtures';

// The review's F10: the shortcuts the ranker takes for speed (novelty looked at only while it can matter,
// meaning rows kept for 64 ranges, lookups kept per question) must give what the long way gives.

function article(id: string, sentences: string[]): SourceDocument {
  return { id, title: id, sentences, paragraphs: sentences.map((_, k) => k) };
}

/** The `top` best of the second stage the long way: every candidate's features (novelty included) summed by weight. */
function fullRanking(ranker: Ranker, question: string, top: number): RankedSentence[] {
  const weights = rerankWeights(ranker.options);
  return ranker.explain(ranker.analyse(question), { top })
    .map(({ sentence, features }) => ({ sentence, score: features.reduce((sum, value, f) => sum + value * weights[f]!, 0) }))
    .sort((a, b) => b.score - a.score || a.sentence - b.sentence)
    .slice(0, top)
    .map(({ sentence, score }) => ({ sentence, score, coverage: 0 }));
}

describe('bestRescored: novelty looked at only while it can still put a candidate in the top', () => {
  // The second stage's own order: the places below the first (lower-places.test.ts) left as it gives them.
  const secondStage = { ...DEFAULT_RANKING, lowerAlignWeight: 0 };
  const index = SentenceIndex.build(fixtureDocuments());
  const ranker = new Ranker(index, secondStage, DEFAULT_EXPANSION);
  const typed = RERANK_FEATURES.indexOf('typed');
  const questions = [
    'Who wrote the letter?', 'How many people were evacuated?', 'When did the bridge reopen?', 'Who was elected mayor?',
    'When was the first meeting held?', 'How many homes were flooded?', 'Who said the river would rise?',
  ];

  it('gives the same sentences and scores as summing every feature, for a top of 1, 2 and 3', () => {
    let cut = 0;
    for (const question of questions) {
      for (const top of [1, 2, 3]) {
        const searched = ranker.search(ranker.analyse(question), { top }).sentences;
        const expected = fullRanking(ranker, question, top);
        expect(searched.map(({ sentence, score }) => ({ sentence, score }))).toEqual(expected.map(({ sentence, score }) => ({ sentence, score })));
        // Cases where typed candidates outnumber the top: some are left without their novelty looked at.
        const typedCandidates = ranker.explain(ranker.analyse(question), { top }).filter(({ features }) => features[typed]! > 0).length;
        if (typedCandidates > top) cut++;
      }
    }
    expect(cut).toBeGreaterThan(5);
  });

  it('leaves out a typed candidate that top others beat even with the bonus, and keeps one that can win', () => {
    // One "who" sentence far behind on the question's words, one close behind: with top 1 the first can be
    // skipped, the second must be looked at (it names someone new and overtakes).
    const doc = article('council.txt', [
      'The council letter about the new bridge budget was read aloud at the council meeting on the bridge budget.',
      'Maria Lopez wrote the council letter about the bridge budget.',
      'Tom Reed spoke.',
    ]);
    const small = new Ranker(SentenceIndex.build([doc]), secondStage, DEFAULT_EXPANSION);
    for (const top of [1, 2]) {
      const searched = small.search(small.analyse('Who wrote the council letter about the bridge budget?'), { top }).sentences;
      expect(searched.map(({ sentence, score }) => ({ sentence, score }))).toEqual(fullRanking(small, 'Who wrote the council letter about the bridge budget?', top).map(({ sentence, score }) => ({ sentence, score })));
    }
    expect(small.search(small.analyse('Who wrote the council letter about the bridge budget?'), { top: 1 }).sentences[0]?.sentence).toBe(1);
  });
});

describe('meaning rows kept for the 64 ranges asked last', () => {
  // Seventy one-article ranges, each asked a question with a word it lacks ("arrested") and a word of like
  // meaning it holds ("detained"), so that each search reads that range's meaning rows.
  const docs = Array.from({ length: 70 }, (_, k) => article(`town-${k}.txt`, [
    `Police detained ${k + 2} men in town ${k} on Sunday.`,
    `The market of town ${k} opened late.`,
  ]));
  const index = SentenceIndex.build(docs);
  const range = (doc: number): { from: number; to: number } => ({ from: index.docStart[doc]!, to: index.docStart[doc + 1]! });
  const question = 'How many men were arrested on Sunday?';
  const kept = (ranker: Ranker): Map<string, Int32Array> => (ranker as unknown as { scopeRowsKept: Map<string, Int32Array> }).scopeRowsKept;

  it('drops the range made first once 64 are kept, and answers an evicted range as a fresh ranker does', () => {
    const ranker = new Ranker(index, DEFAULT_RANKING, DEFAULT_EXPANSION);
    const firstAnswers = docs.map((_, doc) => ranker.search(ranker.analyse(question), { ...range(doc), top: 2 }));
    const cache = kept(ranker);
    expect(cache.size).toBe(64);
    const key = (doc: number): string => `${range(doc).from} ${range(doc).to}`;
    for (let doc = 0; doc < 6; doc++) expect(cache.has(key(doc))).toBe(false);
    for (let doc = 6; doc < 70; doc++) expect(cache.has(key(doc))).toBe(true);
    // The meaning expansion found "detained" in every range (the answer is the sentence with it).
    for (const answer of firstAnswers) expect(index.positionInDocument(answer.sentences[0]!.sentence)).toBe(0);

    // Evicted (0), kept (69): made again or read back, the same as a ranker that never saw the others.
    for (const doc of [0, 69]) {
      const fresh = new Ranker(index, DEFAULT_RANKING, DEFAULT_EXPANSION);
      expect(ranker.search(ranker.analyse(question), { ...range(doc), top: 2 })).toEqual(fresh.search(fresh.analyse(question), { ...range(doc), top: 2 }));
      expect(ranker.search(ranker.analyse(question), { ...range(doc), top: 2 })).toEqual(firstAnswers[doc]);
    }
    // Range 0 made again went in last; the oldest kept one (6) went out.
    expect(cache.size).toBe(64);
    expect([...cache.keys()].at(-1)).toBe(key(0));
    expect(cache.has(key(6))).toBe(false);
  });
});

describe('lookups kept per question (related terms, near spellings)', () => {
  const docs = [
    article('vote.txt', ['The election was won by Maria Lopez in 2019.', 'Her decision to run surprised the party.']),
    article('rally.txt', ['The protest ended peacefully after a speech.', 'Police detained three men near the station.']),
  ];
  const index = SentenceIndex.build(docs);
  const background = backgroundFrequencies();

  it('looks a related term up in the index once per question, and finds what a direct lookup finds', () => {
    const ranker = new Ranker(index, DEFAULT_RANKING, DEFAULT_EXPANSION);
    const query = ranker.analyse('Why did she decide to run?');
    expect(query.related.length).toBeGreaterThan(0);
    const termId = vi.spyOn(index, 'termId');
    const ids = query.related.map((_, k) => ranker.relatedTermId(query, k));
    expect(ids).toEqual(query.related.map((related) => index.storedTermId(related.term) >= 0 ? index.termId(related.term) : -1));
    expect(ids).toContain(index.termId('decis'));
    termId.mockClear();
    expect(query.related.map((_, k) => ranker.relatedTermId(query, k))).toEqual(ids);
    expect(termId).not.toHaveBeenCalled();
    // Another question (another analysis of the same words) looks them up afresh.
    const again = ranker.analyse('Why did she decide to run?');
    termId.mockClear();
    expect(again.related.map((_, k) => ranker.relatedTermId(again, k))).toEqual(ids);
    expect(termId).toHaveBeenCalledTimes(query.related.length);
    termId.mockRestore();
  });

  it('finds near spellings once per question and range, the same as nearSpellings itself', () => {
    const ranker = new Ranker(index, DEFAULT_RANKING, DEFAULT_EXPANSION);
    const query = ranker.analyse('When did the protset end?');
    const of = query.terms.findIndex((term) => term.term === 'protset');
    const whole = { from: 0, to: index.sentenceCount };
    const rally = { from: index.docStart[1]!, to: index.docStart[2]! };
    const vote = { from: index.docStart[0]!, to: index.docStart[1]! };
    const found = ranker.nearSpellingsOf(query, of, whole.from, whole.to);
    expect(found).toEqual([index.termId('protest')]);
    expect(found).toEqual(nearSpellings(index, 'protset', whole.from, whole.to, DEFAULT_EXPANSION, background));
    // Kept: the same list back, not found again.
    expect(ranker.nearSpellingsOf(query, of, whole.from, whole.to)).toBe(found);
    // Per range: the article with "protest" has it, the other not.
    expect(ranker.nearSpellingsOf(query, of, rally.from, rally.to)).toEqual(nearSpellings(index, 'protset', rally.from, rally.to, DEFAULT_EXPANSION, background));
    expect(ranker.nearSpellingsOf(query, of, rally.from, rally.to)).toEqual([index.termId('protest')]);
    expect(ranker.nearSpellingsOf(query, of, vote.from, vote.to)).toEqual([]);
    // Another question's lookups are its own.
    const other = ranker.analyse('When did the protset end?');
    const otherFound = ranker.nearSpellingsOf(other, of, whole.from, whole.to);
    expect(otherFound).not.toBe(found);
    expect(otherFound).toEqual(found);
  });

  it('answers the same whether a question is asked once or its lookups were made by an earlier search', () => {
    const ranker = new Ranker(index, DEFAULT_RANKING, DEFAULT_EXPANSION);
    const query = ranker.analyse('When did the protset end?');
    const rally = { from: index.docStart[1]!, to: index.docStart[2]! };
    const first = ranker.search(query, { top: 2 });
    const scoped = ranker.search(query, { ...rally, top: 2 });
    const fresh = new Ranker(index, DEFAULT_RANKING, DEFAULT_EXPANSION);
    expect(scoped).toEqual(fresh.search(fresh.analyse('When did the protset end?'), { ...rally, top: 2 }));
    expect(ranker.search(query, { top: 2 })).toEqual(first);
    expect(index.positionInDocument(scoped.sentences[0]!.sentence)).toBe(0);
  });
});
