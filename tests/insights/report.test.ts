import { describe, expect, it } from 'vitest';
import { answersCsv, csvCell } from '../../src/insights/csv';
import { buildReport, groupQuestions } from '../../src/insights/report';
import { formatReportText } from '../../src/insights/report-text';
import type { RecordedAnswer } from '../../src/insights/types';

const NOW = new Date(Date.UTC(2026, 5, 30, 12));
const DAY = 86_400_000;
let nextId = 1;

function recorded(question: string, overrides: Partial<RecordedAnswer> = {}): RecordedAnswer {
  return {
    id: nextId++, guildId: 'guild-a', channelId: 'c', askedAt: new Date(NOW.getTime() - DAY), via: 'slash', question,
    answered: false, confident: null, declineReason: 'no-match', quotes: [], up: 0, down: 0, ...overrides,
  };
}

const quote = (source: string, sentence: number, text: string) => ({ source, title: `Title of ${source}`, sentence, text });

describe('groupQuestions', () => {
  it('puts questions that share their topical words together, and keeps a shared common word from merging topics', () => {
    const groups = groupQuestions([
      recorded('when is the festival'), recorded('festival date?'), recorded('When is the festival?'),
      recorded('Who won the election?'), recorded('who won the election'),
      recorded('What is the price of bread?'),
    ]);
    expect(groups.map((g) => [g.words[0], g.count, g.phrasings.map((p) => [p.question, p.count])])).toEqual([
      ['festival', 3, [['when is the festival', 2], ['festival date?', 1]]],
      [expect.stringMatching(/won|election/), 2, [['Who won the election?', 2]]],
      [expect.stringMatching(/bread|price/), 1, [['What is the price of bread?', 1]]],
    ]);
    const apart = groupQuestions([recorded('festival date?'), recorded('festival date'), recorded('election result date?')]);
    expect(apart.map((g) => g.count)).toEqual([2, 1]);
  });

  it('groups a question with no topical word only with the same text', () => {
    const groups = groupQuestions([recorded('what?'), recorded('What?'), recorded('why')]);
    expect(groups.map((g) => [g.words, g.count])).toEqual([[[], 2], [[], 1]]);
  });
});

describe('buildReport', () => {
  const answers: RecordedAnswer[] = [
    recorded('when is the festival'),
    recorded('festival date?', { askedAt: new Date(NOW.getTime() - 3 * DAY) }),
    recorded('festival date?', { askedAt: new Date(NOW.getTime() - 20 * DAY) }),
    recorded('Where is the parade?', { answered: true, confident: false, declineReason: null, quotes: [quote('parade.md', 2, 'The parade starts at noon.')], down: 3, up: 1 }),
    recorded('How deep was the flood?', { answered: true, confident: true, declineReason: null, quotes: [quote('flood.md', 4, 'The water rose 2 m.')], up: 4 }),
    recorded('Who fixed the bridge?', { answered: true, confident: null, declineReason: null, quotes: [quote('flood.md', 9, 'Crews fixed it.'), quote('parade.md', 1, 'x')], down: 1 }),
    recorded('Another server asks about the festival', { guildId: 'guild-b', down: 9 }),
  ];

  it('reports the missed questions, the most 👎 answers with their sentence, and per article counts, for one server and window', () => {
    const report = buildReport('guild-a', answers, { days: 7, now: NOW });
    expect(report.totals).toEqual({ questions: 5, answered: 3, declined: 2, unconfident: 1, up: 5, down: 4 });
    expect(report.missed.map((g) => [g.words[0], g.count, g.declined, g.unconfident])).toEqual([
      ['festival', 2, 2, 0],
      ['parade', 1, 0, 1],
    ]);
    expect(report.downvoted.map((d) => [d.question, d.down, d.up, d.quote?.text])).toEqual([
      ['Where is the parade?', 3, 1, 'The parade starts at noon.'],
      ['Who fixed the bridge?', 1, 0, 'Crews fixed it.'],
    ]);
    expect(report.articles).toEqual([
      { source: 'flood.md', title: 'Title of flood.md', answered: 2, up: 4, down: 1 },
      { source: 'parade.md', title: 'Title of parade.md', answered: 1, up: 1, down: 3 },
    ]);
    expect(JSON.stringify(report)).not.toContain('Another server');
    expect(buildReport('guild-a', answers, { days: 30, now: NOW }).missed[0]).toMatchObject({ words: ['festival'], count: 3 });
  });

  it('renders as plain text with no control characters', () => {
    const text = formatReportText(buildReport('guild-a', [...answers, recorded('festival\u0007 date\u001b?')], { now: NOW }));
    expect(text).toContain('3× festival: "festival date?" ×2 · "when is the festival"');
    expect(text).toContain('quoted: "The parade starts at noon." — Title of parade.md, sentence 2 (parade.md)');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});

describe('answersCsv', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, "b"\nc')).toBe('"a, ""b""\nc"');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(null)).toBe('');
    const csv = answersCsv([recorded('Who fixed the bridge?', { answered: true, confident: true, declineReason: null, quotes: [quote('flood.md', 9, 'Crews, at night, fixed it.'), quote('b.md', 1, 'x')], up: 2 })]);
    const [header, line] = csv.trimEnd().split('\n');
    expect(header).toBe('id,asked_at,channel_id,via,question,outcome,confident,decline_reason,quoted,first_sentence,up,down');
    expect(line).toMatch(/^\d+,2026-06-29T12:00:00\.000Z,c,slash,Who fixed the bridge\?,answered,yes,,flood\.md#9; b\.md#1,"Crews, at night, fixed it\.",2,0$/);
  });
});
