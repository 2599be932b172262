import { describe, expect, it } from 'vitest';
import type { Answer, AskOptions, Hit, SourceDocument, Summary, SummaryOptions } from '../../src/engine/types';
import { Bm25SentenceIndex, leadN, TfIdfSentenceIndex } from '../../bench/eval/baselines';
import { capQuestions, matchModeFor, parseQaData, parseSummaryData, sliceArticles, sourceKey, type QaArticle } from '../../bench/eval/data';
import { hashSeed, mulberry32, questionWord } from '../../bench/eval/metrics';
import { TfIdf } from '../../bench/eval/natural';
import { breakdownTable, checkTargets, formatChecked } from '../../bench/eval/report';
import { articleDocId, articleRaw, pickOffTopic, runQa, runSummaries, type EngineApi, type EngineLike } from '../../bench/eval/run';

describe('data', () => {
  const raw = [
    { id: 'squad2:A', title: 'A', source: 'SQuAD 2.0 dev', text: 't', questions: [{ id: 'q', question: 'Q?', answers: ['x'], answerable: true }] },
    { id: 'xquad-en:B', title: 'B', source: 'XQuAD (English; SQuAD v1.1 dev subset)', text: 't', questions: [] },
    { id: 'xquad-en:C', title: 'Carrot', source: 'XQuAD (English; SQuAD v1.1 dev subset)', text: 't', questions: [] },
    { id: 'wikiqa:D', title: 'D', source: 'WikiQA', text: 't', questions: [] },
  ];

  it('parses and validates QA and summary files', () => {
    expect(parseQaData(raw).map((a) => a.id)).toEqual(['squad2:A', 'xquad-en:B', 'xquad-en:C', 'wikiqa:D']);
    expect(() => parseQaData([{ id: 'x' }], 'f.json')).toThrow(/f\.json: item 0/);
    expect(() => parseQaData([{ ...raw[0], questions: [{ id: 'q', question: 'Q' }] }])).toThrow(/question 0/);
    expect(parseSummaryData([{ id: 's', source: 'CNN', text: 't', reference: ['a', 'b'] }])[0]?.reference).toEqual(['a', 'b']);
    expect(() => parseSummaryData([{ id: 's', source: 'CNN', text: 't', reference: 'a' }])).toThrow(/reference/);
  });

  it('knows the sources and their match modes', () => {
    expect(sourceKey('SQuAD 2.0 dev')).toBe('squad');
    expect(sourceKey('XQuAD (English; SQuAD v1.1 dev subset)')).toBe('xquad');
    expect(sourceKey('WikiQA')).toBe('wikiqa');
    expect(sourceKey('CNN/DailyMail 3.0.0 validation')).toBe('cnndm');
    expect(matchModeFor('WikiQA')).toBe('sentence');
    expect(matchModeFor('SQuAD 2.0 dev')).toBe('span');
  });

  it('slices by source with counts, and by id or title text', () => {
    const articles = parseQaData(raw);
    const ids = (spec?: string): string[] => sliceArticles(articles, spec).map((a) => a.id);
    expect(ids(undefined)).toHaveLength(4);
    expect(ids('xquad:1')).toEqual(['xquad-en:B']);
    expect(ids('wikiqa,squad')).toEqual(['squad2:A', 'wikiqa:D']);
    expect(ids('carrot, xquad:1')).toEqual(['xquad-en:B', 'xquad-en:C']);
    expect(ids('nothing-like-this')).toEqual([]);
    expect(capQuestions(articles, 0)[0]?.questions).toEqual([]);
  });
});

describe('baselines', () => {
  const sentences = ['The cat sat on the mat.', 'Dogs bark at night.', 'The cat and the dog are friends.'];

  it('TfIdf: same scores as natural tfidfs(question string), best first', () => {
    const index = new TfIdfSentenceIndex([sentences]);
    const plain = new TfIdf();
    sentences.forEach((s) => plain.addDocument(s));
    const expected = plain.tfidfs('Where did the cat sit?');
    const hits = index.search('Where did the cat sit?', 10);
    expect(hits.map((h) => h.sentence)).toEqual([1, 3, 2]);
    for (const h of hits) expect(h.score).toBeCloseTo(expected[h.sentence - 1] ?? NaN);
    expect(index.search('cat', 1)).toHaveLength(1);
  });

  it('TfIdf search gives the same ranking as sorting all of tfidfs, ties and zero scores included', () => {
    const random = mulberry32(hashSeed('tfidf'));
    const words = ['news', 'cat', 'dog', 'river', 'city', 'war', 'king', 'bridge', 'storm', 'gold'];
    const pick = (): string => words[Math.floor(random() * words.length)] as string;
    // Few distinct words: many ties; "unknown words" scores 0 everywhere.
    const docs = [0, 1, 2].map(() =>
      Array.from({ length: 25 }, () => `${random() < 0.8 ? 'news ' : ''}${pick()} ${pick()} ${pick()}.`),
    );
    const index = new TfIdfSentenceIndex(docs);
    const keys = docs.flatMap((sentences, doc) => sentences.map((_, i) => ({ doc, sentence: i + 1 })));
    for (let q = 0; q < 40; q++) {
      const question = q % 10 === 0 ? 'news' : q % 10 === 1 ? 'unknown words' : `What about ${pick()} and ${pick()} news?`;
      const scores = index.scores(question);
      const order = scores.map((_, i) => i).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
      const expected = order.slice(0, 12).map((i) => ({ ...keys[i], score: scores[i] }));
      expect(index.search(question, 12)).toEqual(expected);
    }
    expect(index.search('news', 1000)).toHaveLength(75);
  });

  it('TfIdf over several articles keys hits by article and sentence', () => {
    const index = new TfIdfSentenceIndex([sentences, ['Parrots talk.', 'A parrot can mimic a cat.']]);
    expect(index.search('parrots talk', 1)[0]).toMatchObject({ doc: 1, sentence: 1 });
  });

  it('Lead-N takes the first N sentences', () => {
    expect(leadN(sentences, 2)).toEqual(sentences.slice(0, 2));
    expect(leadN(sentences, 5)).toEqual(sentences);
  });
});

/** A stand-in engine: sentences split after full stops; ranks by natural TfIdf; declines on a zero score. */
function fakeApi(): EngineApi {
  const parseArticle = (id: string, raw: string): SourceDocument => {
    const body = raw.replace(/^---\n[\s\S]*?\n---\n/, '');
    const sentences = body.split(/(?<=\.)\s+/).filter((s) => s.trim() !== '');
    return { id, title: id, sentences, paragraphs: sentences.map(() => 0) };
  };
  const createEngine = (docs: SourceDocument[]): EngineLike => {
    const index = new TfIdfSentenceIndex(docs.map((d) => d.sentences));
    const hit = (doc: number, sentence: number, score: number): Hit => {
      const d = docs[doc] as SourceDocument;
      return { source: d.id, title: d.title, sentence, text: d.sentences[sentence - 1] ?? '', score, total: d.sentences.length };
    };
    return {
      ask(question: string, options: AskOptions = {}): Answer {
        const hits = index
          .search(question, 1000)
          .filter((h) => options.source === undefined || docs[h.doc]?.id === options.source)
          .filter((h) => h.score > 0)
          .slice(0, options.top ?? 3)
          .map((h) => hit(h.doc, h.sentence, h.score));
        return { question, answered: hits.length > 0, confident: hits.length > 0, hits };
      },
      summarize(options: SummaryOptions = {}): Summary[] {
        const d = docs.find((x) => x.id === options.source) as SourceDocument;
        const n = options.sentences ?? 3;
        // picks the last n sentences, so it differs from Lead-3
        const picked = d.sentences.map((text, i) => ({ sentence: i + 1, text })).slice(-n);
        return [{ source: d.id, title: d.title, total: d.sentences.length, sentences: picked }];
      },
    };
  };
  return { parseArticle, createEngine };
}

const articles: QaArticle[] = [
  {
    id: 'squad2:Cats',
    title: 'Cats',
    source: 'SQuAD 2.0 dev',
    text: 'Cats purr when happy. Cats were domesticated in Egypt.\n\nA cat sleeps sixteen hours a day.',
    questions: [
      { id: 'c1', question: 'Where were cats domesticated?', answers: ['Egypt'], answerable: true },
      { id: 'c2', question: 'How long does a cat sleep?', answers: ['sixteen hours'], answerable: true },
      // ranked first by TfIdf: "cats purr" wins on "cats" (sentence 1), the gold is in sentence 3
      { id: 'c3', question: 'What do cats do a day when happy?', answers: ['sixteen hours'], answerable: true },
      { id: 'c4', question: 'Who painted the Mona Lisa?', answers: [], answerable: false },
      { id: 'c5', question: 'Why do cats purr?', answers: ['not in the text'], answerable: true },
    ],
  },
  {
    id: 'xquad-en:Rivers',
    title: 'Rivers',
    source: 'XQuAD (English; SQuAD v1.1 dev subset)',
    text: 'The Nile is the longest river. The Amazon carries the most water.',
    questions: [{ id: 'r1', question: 'Which river carries the most water?', answers: ['The Amazon'], answerable: true }],
  },
];

const result = runQa(fakeApi(), articles, { offTopicPerArticle: 2, seed: 't' });

describe('runQa', () => {
  const f = result.overall;

  it('counts answerable, reachable, unreachable and unanswerable questions', () => {
    expect(f.articles).toBe(2);
    expect(f.questions).toBe(6);
    expect(f.answerable).toBe(5);
    expect(f.reachable).toBe(4);
    expect(f.unreachable).toBe(1);
    expect(f.oracle).toBeCloseTo(4 / 5);
    expect(f.unanswerable).toBe(1);
    expect(f.ambiguous).toBe(0);
  });

  it('scores ranks one article at a time and with all articles', () => {
    // c1, c2, r1 at rank 1; c3 at rank 2
    expect(f.project.perArticle.top1).toBeCloseTo(3 / 4);
    expect(f.project.perArticle.top3).toBeCloseTo(1);
    expect(f.project.perArticle.mrr).toBeCloseTo((3 + 0.5) / 4);
    expect(f.tfidf.perArticle.top1).toBeCloseTo(3 / 4);
    expect(f.project.allArticles.n).toBe(4);
    expect(f.project.allArticles.top3).toBeCloseTo(1);
    expect(f.project.falseDeclines).toBe(0);
    // "Who painted the Mona Lisa?" shares no term with the cats article: declined
    expect(f.project.unanswerableDeclined).toBe(1);
  });

  it('asks off-topic questions and breaks figures down by source', () => {
    expect(f.offTopicAsked).toBe(3); // Rivers has 1 question to give, Cats 5
    expect(result.bySource.squad?.questions).toBe(5);
    expect(result.bySource.xquad?.project.perArticle.top1).toBe(1);
    expect(result.bySource.wikiqa).toBeUndefined();
  });

  it('records misses with the top hit and the gold sentence', () => {
    const miss = result.misses.find((m) => m.question.startsWith('What do cats'));
    expect(miss).toMatchObject({ rank: 2, declined: false, gold: { sentence: 3 } });
    expect(miss?.top?.sentence).toBe(1);
  });
});

describe('confidence figures', () => {
  const withWikiQa: QaArticle[] = [
    ...articles,
    {
      id: 'wikiqa:Cats',
      title: 'Cats again',
      source: 'WikiQA',
      text: 'Cats purr when happy.',
      questions: [{ id: 'w1', question: 'Why do cats purr so happily?', answers: [], answerable: false }],
    },
  ];

  it('counts only SQuAD 2.0 unanswerable questions as near misses marked confident', () => {
    // The fake engine is confident whenever it answers: "Who painted the Mona Lisa?" is declined (not
    // confident), the WikiQA question is answered, confidently, and must not count.
    const f = runQa(fakeApi(), withWikiQa, { offTopicPerArticle: 0, seed: 't' }).overall;
    expect(f.unanswerable).toBe(2);
    expect(f.project.confidence?.unanswerableConfident).toBe(0);
    const squadOnly = runQa(fakeApi(), [{ ...withWikiQa[2]!, id: 'squad2:Cats2', source: 'SQuAD 2.0 dev' }], { offTopicPerArticle: 0, seed: 't' }).overall;
    expect(squadOnly.project.confidence?.unanswerableConfident).toBe(1);
  });
});

describe('off-topic sampling', () => {
  const many: QaArticle[] = ['A', 'B', 'C', 'A'].map((title, i) => ({
    id: `x:${i}`,
    title,
    source: 'SQuAD 2.0 dev',
    text: '',
    questions: [0, 1, 2].map((j) => ({ id: `${i}-${j}`, question: `q${i}-${j}`, answers: [], answerable: false })),
  }));

  it('is deterministic, avoids the same article and the same title, never repeats a question', () => {
    const picked = pickOffTopic(many, 3, 's');
    expect(pickOffTopic(many, 3, 's')).toEqual(picked);
    picked.forEach((qs, i) => {
      expect(qs).toHaveLength(3);
      expect(new Set(qs).size).toBe(3);
      const ownTitle = many[i]?.title;
      for (const q of qs) {
        const from = Number(q.slice(1).split('-')[0]);
        expect(from).not.toBe(i);
        expect(many[from]?.title).not.toBe(ownTitle);
      }
    });
  });

  it('gives nothing when there is no other article', () => {
    expect(pickOffTopic(many.slice(0, 1), 3, 's')).toEqual([[]]);
  });
});

describe('runSummaries', () => {
  it('scores the engine summary and Lead-3 against the joined highlights', () => {
    const sum = runSummaries(fakeApi(), [
      {
        id: 'cnndm:1',
        source: 'CNN/DailyMail 3.0.0 validation',
        text: 'One two three. Four five six. Seven eight nine. Alpha beta gamma.',
        reference: ['Four five six .', 'Alpha beta gamma .'],
      },
    ]);
    // project: sentences 2-4 = 9 tokens, all 6 reference tokens among them
    expect(sum.project.rouge1).toBeCloseTo((2 * (6 / 9) * 1) / (6 / 9 + 1));
    // Lead-3: sentences 1-3, only "four five six" shared: P 3/9, R 3/6
    expect(sum.lead.rouge1).toBeCloseTo((2 * (3 / 9) * (3 / 6)) / (3 / 9 + 3 / 6));
    expect(sum.articles).toBe(1);
    expect(sum.bySource.cnndm?.articles).toBe(1);
  });
});

describe('helpers', () => {
  it('builds ids and raw text', () => {
    expect(articleDocId(7, 'xquad-en:Fresno,_California')).toBe('007_xquad_en_Fresno_California.txt');
    expect(articleRaw('Cats', 'Body.')).toBe('---\ntitle: Cats\n---\nBody.');
  });

  it('checks targets', () => {
    const checks = checkTargets(undefined, {
      articles: 1,
      length: 3,
      project: { rouge1: 0.3, rouge2: 0.1, rougeL: 0.2 },
      lead: { rouge1: 0.295, rouge2: 0.1, rougeL: 0.21 },
      projectTokens: 0,
      leadTokens: 0,
      referenceTokens: 0,
      bySource: {},
      timings: { parseMs: 0, projectMs: 0 },
    });
    expect(checks.map((c) => [c.metric, c.pass])).toEqual([
      ['summary.rouge1', false],
      ['summary.rouge2', true],
      ['summary.rougeL', false],
    ]);
  });
});

describe('issue 10 harness additions', () => {
  it('plain BM25 ranks by term rarity and length, and lists unscored sentences last in order', () => {
    const index = new Bm25SentenceIndex([['The cat sat on the mat.', 'Dogs bark at night.', 'A cat and a dog and a bird and a fish.']]);
    expect(index.search('Where did the cat sit on a mat?', 3).map((h) => h.sentence)).toEqual([1, 3, 2]);
    expect(index.search('bark', 3).map((h) => [h.sentence, h.score > 0])).toEqual([[2, true], [1, false], [3, false]]);
  });

  it('names the question word a question turns on', () => {
    expect(questionWord('How many people live there?')).toBe('how many/much');
    expect(questionWord('In which year did it open?')).toBe('what/which');
    expect(questionWord('Whose idea was it?')).toBe('who');
    expect(questionWord('Did the talks fail?')).toBe('yes/no');
    expect(questionWord('Name the river.')).toBe('other');
  });

  it('prints a checked figure so that it never reads as the opposite verdict', () => {
    const check = checkTargets({ ...result.overall, project: { ...result.overall.project, perArticle: { n: 1, top1: 0.8, top3: 0.89966, mrr: 0.9 } } }, undefined).find((c) => c.metric === 'qa.perArticle.top3');
    expect(check?.pass).toBe(false);
    expect(formatChecked(check!)).toBe('89.97%');
    expect(formatChecked({ value: 0.9, threshold: 0.9, op: '≥', unit: 'share', pass: true })).toBe('90.0%');
    expect(formatChecked({ value: 0.02004, threshold: 0.02, op: '≤', unit: 'share', pass: false })).toBe('2.004%');
  });

  it('scores every candidate as the literature does (MAP, MRR) and breaks the misses down', () => {
    const full = runQa(fakeApi(), articles, { offTopicPerArticle: 0, fullRanking: true });
    // c1, c2, r1: gold first (AP 1); c3: the only gold sentence second (AP 1/2).
    expect(full.overall.fullRanking?.n).toBe(4);
    expect(full.overall.fullRanking?.project.mrr).toBeCloseTo(3.5 / 4);
    expect(full.overall.fullRanking?.project.map).toBeCloseTo(3.5 / 4);
    const table = breakdownTable(full.records);
    expect(table).toMatch(/all reachable\s+4\s+75\.0%\s+0\.0%\s+25\.0%/);
    expect(table).toMatch(/what\/which\s+2\s+50\.0%/);
  });
});
