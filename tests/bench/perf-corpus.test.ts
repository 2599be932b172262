import { describe, expect, it } from 'vitest';
import {
  buildCorpus,
  fillerSentence,
  fnv1a,
  formatSize,
  interleave,
  parseSize,
  perturbSentence,
  seededShuffle,
  selectEvalDocs,
  type CorpusDoc,
} from '../../bench/perf/corpus';
import { benchQuestions, containsAnswer, evalDocId, parseQa } from '../../bench/perf/eval-data';

function doc(id: string, n: number): CorpusDoc {
  return { id, title: id, sentences: Array.from({ length: n }, (_, i) => `${id} sentence ${i}.`) };
}

const pool = Array.from({ length: 50 }, (_, i) => `Pool sentence number ${i} about travelling merchants and harbours.`);

describe('buildCorpus', () => {
  it('yields exactly the requested number of sentences, evaluation articles included', () => {
    const evalDocs = [doc('a', 7), doc('b', 5)];
    const plan = buildCorpus({ evalDocs, pool, size: 40, groupSize: 10 });
    const sentences = plan.docs.flatMap((d) => d.sentences);
    expect(sentences).toHaveLength(40);
    expect(plan.sentences).toBe(40);
    expect(plan.evalDocIds).toEqual(['a', 'b']);
    expect(plan.evalSentences).toBe(12);
    expect(plan.fillerSentences).toBe(28);
    // Evaluation articles are kept whole and unchanged.
    expect(plan.docs.find((d) => d.id === 'a')).toEqual(evalDocs[0]);
    // Filler: pool order, grouped 10 per document (10 + 10 + 8).
    const filler = plan.docs.filter((d) => d.id.startsWith('filler-'));
    expect(filler.map((d) => d.sentences.length)).toEqual([10, 10, 8]);
    expect(filler[0]?.sentences[0]).toBe(pool[0]);
    expect(filler[2]?.sentences[7]).toBe(pool[27]);
    expect(plan.perturbedSentences).toBe(0);
    expect(plan.poolPasses).toBe(1);
  });

  it('is deterministic and identical for every caller', () => {
    const options = { evalDocs: [doc('a', 3)], pool, size: 180 };
    expect(buildCorpus(options)).toEqual(buildCorpus(options));
  });

  it('keeps the evaluation articles that fit when they all do not', () => {
    const evalDocs = [doc('big', 8), doc('huge', 20), doc('small', 2)];
    expect(selectEvalDocs(evalDocs, 10).map((d) => d.id)).toEqual(['big', 'small']);
    const plan = buildCorpus({ evalDocs, pool, size: 10 });
    expect(plan.evalDocIds).toEqual(['big', 'small']);
    expect(plan.fillerSentences).toBe(0);
    expect(plan.docs.flatMap((d) => d.sentences)).toHaveLength(10);
  });

  it('repeats the pool with perturbed, not identical, text once it runs out', () => {
    const plan = buildCorpus({ evalDocs: [], pool, size: 120 });
    const sentences = plan.docs.flatMap((d) => d.sentences);
    expect(sentences).toHaveLength(120);
    expect(plan.poolPasses).toBe(3);
    expect(plan.perturbedSentences).toBe(70);
    expect(sentences.slice(0, 50)).toEqual(pool);
    const secondPass = sentences.slice(50, 100);
    expect(secondPass).toEqual(pool.map((s) => perturbSentence(s, 1)));
    // Pool sentences share their long words, so the pass either changes all of them or none.
    expect(secondPass.some((s, i) => s !== pool[i]) || sentences.slice(100).some((s, i) => s !== pool[i])).toBe(true);
  });

  it('spreads evaluation documents among the filler instead of putting them first', () => {
    const plan = buildCorpus({ evalDocs: [doc('a', 2), doc('b', 2)], pool, size: 44, groupSize: 10 });
    const ids = plan.docs.map((d) => d.id);
    expect(ids).toHaveLength(6);
    expect(ids.indexOf('a')).toBeGreaterThan(0);
    expect(ids.indexOf('b')).toBeGreaterThan(ids.indexOf('a'));
    expect(ids.indexOf('b')).toBeLessThan(ids.length - 1);
  });

  it('rejects nonsense sizes', () => {
    expect(() => buildCorpus({ evalDocs: [], pool, size: -1 })).toThrow(RangeError);
    expect(() => buildCorpus({ evalDocs: [], pool, size: 1.5 })).toThrow(RangeError);
    expect(() => buildCorpus({ evalDocs: [], pool, size: 10, groupSize: 0 })).toThrow(RangeError);
  });
});

describe('perturbSentence', () => {
  const sentence = 'The travelling merchants reached the northern harbour before sunrise, exhausted.';

  it('leaves the first pass untouched', () => {
    expect(perturbSentence(sentence, 0)).toBe(sentence);
  });

  it('only lengthens words of six or more letters, keeping short words and punctuation', () => {
    for (let pass = 1; pass < 20; pass++) {
      const out = perturbSentence(sentence, pass, 0.5);
      const inWords = sentence.split(' ');
      const outWords = out.split(' ');
      expect(outWords).toHaveLength(inWords.length);
      outWords.forEach((word, i) => {
        const original = inWords[i] as string;
        if (original.replace(/[^A-Za-z]/g, '').length < 6) expect(word).toBe(original);
        else expect(word.replace(/[^A-Za-z]/g, '').startsWith(original.replace(/[^A-Za-z]/g, ''))).toBe(true);
      });
      expect(out.endsWith('.')).toBe(true);
    }
  });

  it('gives a word the same variant everywhere within a pass', () => {
    const a = perturbSentence('merchants merchants', 3, 1);
    const [first, second] = a.split(' ');
    expect(first).toBe(second);
    expect(first).not.toBe('merchants');
  });

  it('changes about the requested share of distinct long words', () => {
    const words = Array.from({ length: 2000 }, (_, i) => `word${'x'.repeat(2)}${i.toString(36)}`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)] ?? ''));
    const text = words.join(' ');
    const changed = perturbSentence(text, 1, 0.3)
      .split(' ')
      .filter((w, i) => w !== words[i]).length;
    expect(changed / words.length).toBeGreaterThan(0.25);
    expect(changed / words.length).toBeLessThan(0.35);
    expect(perturbSentence(text, 1, 0)).toBe(text);
  });

  it('fillerSentence walks the pool, then perturbed passes', () => {
    expect(fillerSentence(pool, 3)).toBe(pool[3]);
    expect(fillerSentence(pool, 53)).toBe(perturbSentence(pool[3] as string, 1));
    expect(() => fillerSentence([], 0)).toThrow();
  });
});

describe('helpers', () => {
  it('fnv1a matches the reference values', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('seededShuffle is a deterministic permutation', () => {
    const items = Array.from({ length: 30 }, (_, i) => i);
    const a = seededShuffle(items, 1);
    expect(a).toEqual(seededShuffle(items, 1));
    expect(a).not.toEqual(items);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(seededShuffle(items, 2)).not.toEqual(a);
  });

  it('interleave keeps both orders and places every extra item', () => {
    expect(interleave<number | string>([1, 2, 3, 4], ['a', 'b'])).toEqual([1, 'a', 2, 3, 'b', 4]);
    expect(interleave<string>([], ['a'])).toEqual(['a']);
    expect(interleave([1, 2], [])).toEqual([1, 2]);
  });

  it('parses and formats sizes', () => {
    expect(['1k', '10k', '100K', '1M', '2500', '1.5k'].map(parseSize)).toEqual([1_000, 10_000, 100_000, 1_000_000, 2_500, 1_500]);
    expect(() => parseSize('ten')).toThrow();
    expect(() => parseSize('0')).toThrow();
    expect(() => parseSize('1.5')).toThrow();
    expect([1_000, 1_000_000, 1_500, 2_500_000].map(formatSize)).toEqual(['1k', '1M', '1500', '2500k']);
  });
});

describe('evaluation data', () => {
  const json = JSON.stringify([
    {
      id: 'squad2:Some Article',
      title: 'Some Article',
      source: 'SQuAD 2.0 dev',
      text: 'First paragraph.\n\nSecond paragraph.',
      questions: [
        { id: 'q1', question: 'Where?', answers: ['southern and central parts of France,', ' Latin '], answerable: true },
        { id: 'q2', question: 'Why not?', answers: [], answerable: false },
      ],
    },
  ]);

  it('parses the QA shape and ties questions to corpus document ids', () => {
    const articles = parseQa(json);
    expect(articles).toHaveLength(1);
    const questions = benchQuestions(articles);
    expect(questions.map((q) => q.docId)).toEqual(['eval-squad2_Some_Article', 'eval-squad2_Some_Article']);
    expect(evalDocId('squad2:Some Article')).toBe('eval-squad2_Some_Article');
    expect(questions[0]?.answers).toEqual(['southern and central parts of France,', ' Latin ']);
    expect(questions[0]?.mode).toBe('span');
    expect(questions[1]?.answers).toEqual([]);
  });

  it('rejects malformed files', () => {
    expect(() => parseQa('{}')).toThrow(/array/);
    expect(() => parseQa('[{"id":"x"}]')).toThrow(/lacks/);
  });

  it('matches gold answers as the evaluation does: case and whitespace folded, at word boundaries', () => {
    const q = { answers: ['southern and central parts of France', 'Latin'], mode: 'span' as const };
    expect(containsAnswer('Huguenots lived in the Southern and central\nparts of France mostly.', q)).toBe(true);
    expect(containsAnswer('The word comes from LATIN.', q)).toBe(true);
    // The substring match this replaced counted "Latin" inside "Latinate".
    expect(containsAnswer('A Latinate word.', q)).toBe(false);
    expect(containsAnswer(undefined, q)).toBe(false);
    expect(containsAnswer('Latin', { answers: [], mode: 'span' })).toBe(false);
    expect(containsAnswer('Prions are proteins .', { answers: ['Prions are proteins . They fold .'], mode: 'sentence' })).toBe(true);
  });
});
