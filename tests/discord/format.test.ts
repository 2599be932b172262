import { describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import type { Answer, Hit, Summary } from '../../src/engine/types';
import {
  ELLIPSIS,
  ZWSP,
  escapeText,
  fitEmbeds,
  formatAnswer,
  formatHelp,
  formatReload,
  formatSources,
  formatSummaries,
  formatUnknownSource,
  neutraliseLinks,
  neutraliseMentions,
  reply,
  safeUrl,
  titleLink,
  totalEmbedLength,
  truncate,
} from '../../src/discord/render';
import { LIMITS } from '../../src/discord/limits';
import { source } from './fakes';

function hit(overrides: Partial<Hit> = {}): Hit {
  return {
    source: '000_kim.txt',
    title: 'Kim writes to Trump',
    url: 'https://example.com/kim',
    sentence: 4,
    total: 25,
    score: 3.2,
    text: 'It was a very warm, very positive letter.',
    ...overrides,
  };
}

function answer(hits: Hit[], overrides: Partial<Answer> = {}): Answer {
  return { question: 'What did the letter say?', answered: true, confident: true, hits, ...overrides };
}

function assertWithinLimits(embeds: readonly APIEmbed[], content?: string): void {
  expect(embeds.length).toBeLessThanOrEqual(LIMITS.embeds);
  expect(totalEmbedLength(embeds)).toBeLessThanOrEqual(LIMITS.embedsTotal);
  if (content !== undefined) expect(content.length).toBeLessThanOrEqual(LIMITS.content);
  for (const e of embeds) {
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(LIMITS.embedTitle);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(LIMITS.footer);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.fields);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
  }
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

describe('truncate', () => {
  it('returns text at or under the limit unchanged', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('', 0)).toBe('');
  });

  it('never exceeds the limit, for every limit that matters', () => {
    const long = `${words(2000)}. ${words(2000)}`;
    for (const max of [1, 2, 3, 10, 100, 256, 1024, 2000, 2048, 4096]) {
      const out = truncate(long, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.endsWith(ELLIPSIS)).toBe(true);
    }
  });

  it('cuts at a sentence boundary when one is near the end', () => {
    const text = 'The first sentence is here. The second sentence is much longer than the rest.';
    const out = truncate(text, 40);
    expect(out).toBe(`The first sentence is here. ${ELLIPSIS}`);
  });

  it('otherwise cuts at a word boundary and drops trailing punctuation', () => {
    expect(truncate('alpha beta, gamma delta epsilon', 18)).toBe(`alpha beta, gamma${ELLIPSIS}`);
    expect(truncate('alpha beta, gamma delta epsilon', 13)).toBe(`alpha beta${ELLIPSIS}`);
  });

  it('hard-cuts a single long word', () => {
    expect(truncate('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}${ELLIPSIS}`);
  });

  it('does not split a surrogate pair or leave a dangling escape', () => {
    const emoji = '😀'.repeat(10); // 20 UTF-16 units
    const out = truncate(emoji, 6);
    expect(out).toBe(`😀😀${ELLIPSIS}`);
    expect(truncate('aaaa\\*bbbb', 6)).toBe(`aaaa${ELLIPSIS}`);
  });
});

describe('escaping', () => {
  it('neutralises @everyone and @here with a zero-width space', () => {
    expect(escapeText('Hello @everyone and @here')).toBe(`Hello @${ZWSP}everyone and @${ZWSP}here`);
  });

  it('neutralises user, role, channel and command mentions', () => {
    expect(neutraliseMentions('<@123> <@!123> <@&123> <#456> </ask:789>')).toBe(
      `<${ZWSP}@123> <${ZWSP}@!123> <${ZWSP}@&123> <${ZWSP}#456> <${ZWSP}/ask:789>`,
    );
    expect(escapeText('ping <@&123>')).toBe(`ping <${ZWSP}@&123>`);
  });

  it('escapes bold, italics, underline, strikethrough, spoilers and inline code', () => {
    expect(escapeText('**bold**')).toBe('\\*\\*bold\\*\\*');
    expect(escapeText('__u__ ~~s~~ ||sp|| `c`')).toBe('\\_\\_u\\_\\_ \\~\\~s\\~\\~ \\|\\|sp\\|\\| \\`c\\`');
    expect(escapeText('*it*')).toBe('\\*it\\*');
  });

  it('escapes code fences', () => {
    expect(escapeText('```js\nalert(1)\n```')).toBe('\\`\\`\\`js alert(1) \\`\\`\\`');
  });

  it('escapes headings, lists, quotes and subtext at the start', () => {
    expect(escapeText('# Big')).toBe('\\# Big');
    expect(escapeText('- item')).toBe('\\- item');
    expect(escapeText('1. first')).toBe('1\\. first');
    expect(escapeText('> quoted')).toBe('\\> quoted');
    expect(escapeText('-# small')).toBe('\\-# small');
  });

  it('escapes backslashes so article text cannot un-escape our escapes', () => {
    expect(escapeText('a\\*b')).toBe('a\\\\\\*b');
  });

  it('breaks URLs so they neither link nor unfurl', () => {
    expect(neutraliseLinks('see https://evil.example/x and http://a.b')).toBe(
      `see https:${ZWSP}//evil.example/x and http:${ZWSP}//a.b`,
    );
    // Glued to a digit, an underscore or a letter, a URL is still broken (issue 15).
    for (const glued of ['1https://evil.example/x', '_https://evil.example/x', 'xhttps://evil.example/x', '2024ftp://evil.example']) {
      expect(neutraliseLinks(glued)).not.toMatch(/:\/\//);
      expect(escapeText(glued)).not.toMatch(/:\/\//);
    }
    const out = escapeText('visit https://example.com/some_path_here now');
    expect(out).not.toMatch(/https?:\/\//);
    expect(out).toContain(`https:${ZWSP}//example.com/some\\_path\\_here`);
  });

  it('breaks masked links', () => {
    const out = escapeText('[click me](https://evil.example)');
    expect(out).toBe(`\\[click me](https:${ZWSP}//evil.example)`);
    expect(out).not.toMatch(/(?<!\\)\[[^\]]*\]\(https?:\/\//);
  });

  it('collapses newlines so a sentence cannot start new markdown blocks', () => {
    expect(escapeText('line one\n# heading\n> quote')).toBe('line one # heading > quote');
  });
});

describe('safeUrl and titleLink', () => {
  it('accepts only http(s) and encodes characters that would break a masked link', () => {
    expect(safeUrl('https://example.com/a(b) c')).toBe('https://example.com/a%28b%29%20c');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
    expect(safeUrl(undefined)).toBeUndefined();
  });

  it('never links a url with a user-info part, which reads as one site and leads to another', () => {
    expect(safeUrl('https://discord.com@evil.example/')).toBeUndefined();
    expect(safeUrl('https://user:pass@example.com/a')).toBeUndefined();
    expect(titleLink('Official notice', 'https://discord.com@evil.example/')).toBe('Official notice');
  });

  it('makes a masked link with escaped text, or plain text without a url', () => {
    expect(titleLink('A [big] **story**', 'https://example.com/s')).toBe('[A \\[big\\] \\*\\*story\\*\\*](https://example.com/s)');
    expect(titleLink('Plain', undefined)).toBe('Plain');
    expect(titleLink('Bad', 'ftp://x')).toBe('Bad');
  });
});

describe('fitEmbeds', () => {
  it('clamps every part to its exact limit', () => {
    const long = 'x'.repeat(10_000);
    expect(fitEmbeds([{ title: long }])[0]?.title?.length).toBe(LIMITS.embedTitle);
    expect(fitEmbeds([{ description: long }])[0]?.description?.length).toBe(LIMITS.embedDescription);
    expect(fitEmbeds([{ footer: { text: long } }])[0]?.footer?.text.length).toBe(LIMITS.footer);
    expect(fitEmbeds([{ author: { name: long } }])[0]?.author?.name.length).toBe(LIMITS.authorName);
    const [withField] = fitEmbeds([{ fields: [{ name: long, value: long }] }]);
    expect(withField?.fields?.[0]?.name.length).toBe(LIMITS.fieldName);
    expect(withField?.fields?.[0]?.value.length).toBe(LIMITS.fieldValue);
  });

  it('keeps at most 25 fields and trims every kind of part to fit 6,000 in total', () => {
    const long = 'x'.repeat(10_000);
    const out = fitEmbeds([
      {
        title: long,
        description: long,
        footer: { text: long },
        author: { name: long },
        fields: Array.from({ length: 30 }, () => ({ name: long, value: long })),
      },
    ]);
    expect(out[0]?.fields).toHaveLength(LIMITS.fields);
    assertWithinLimits(out);
    expect(totalEmbedLength(out)).toBe(LIMITS.embedsTotal);
  });

  it('keeps at most 10 embeds and 6,000 characters in total, trimming to exactly the limit', () => {
    const embeds = Array.from({ length: 12 }, () => ({ description: 'y'.repeat(4096) }));
    const out = fitEmbeds(embeds);
    expect(out).toHaveLength(10);
    expect(totalEmbedLength(out)).toBe(LIMITS.embedsTotal);
  });

  it('leaves embeds under the limits untouched', () => {
    const e = { title: 't', description: 'd'.repeat(4096), footer: { text: 'f' } };
    expect(fitEmbeds([e])).toEqual([e]);
  });

  it('content is cut to exactly 2,000 characters', () => {
    expect(reply({ content: 'z'.repeat(2001) }).content?.length).toBe(2000);
    expect(reply({ content: 'z'.repeat(2000) }).content).toBe('z'.repeat(2000));
  });
});

describe('formatAnswer', () => {
  it('says plainly when it is not sure, and names the article a follow-up was scoped to', () => {
    const unsure = formatAnswer(answer([hit()], { confident: false })).embeds[0]!;
    expect(unsure.description).toMatch(/^\*\*I'm not sure the articles answer this\.\*\* The closest sentences:\n\n> \*\*/);
    expect(unsure.color).not.toBe(formatAnswer(answer([hit()])).embeds[0]!.color);
    const follow = formatAnswer(answer([hit()], { followUp: { source: 'a.txt', title: 'The *Letter*' } })).embeds[0]!;
    expect(follow.description).toMatch(/^Following up on \*\*The \\\*Letter\\\*\*\*\.\n\n> /);
    expect(formatAnswer(answer([hit()])).embeds[0]!.description).toMatch(/^> \*\*/);
  });

  it('quotes each hit with attribution as a masked link and its position', () => {
    const r = formatAnswer(answer([hit()]), { sources: 2 });
    const e = r.embeds[0]!;
    expect(e.title).toBe('Q: What did the letter say?');
    expect(e.description).toBe(
      '> **It was a very warm, very positive letter.**\n— [Kim writes to Trump](https://example.com/kim) · sentence 4 of 25',
    );
    expect(e.footer?.text).toContain('from 2 loaded articles');
    expect(r.allowedMentions).toEqual({ parse: [], repliedUser: false });
  });

  it('shows the context sentence before or after the hit according to its number', () => {
    const before = formatAnswer(answer([hit({ context: { sentence: 3, text: 'Sanders spoke on Monday.' } })])).embeds[0]!;
    expect(before.description?.split('\n').slice(0, 2)).toEqual([
      '> Sanders spoke on Monday.',
      '> **It was a very warm, very positive letter.**',
    ]);
    expect(before.description).toContain('sentence 4 of 25 (with the one before for context)');
    const after = formatAnswer(answer([hit({ context: { sentence: 5, text: 'She said so.' } })])).embeds[0]!;
    expect(after.description?.split('\n').slice(0, 2)).toEqual(['> **It was a very warm, very positive letter.**', '> She said so.']);
  });

  it('uses plain title text when there is no url', () => {
    const e = formatAnswer(answer([hit({ url: undefined })])).embeds[0]!;
    expect(e.description).toContain('— Kim writes to Trump · sentence 4 of 25');
  });

  it('escapes article text and the echoed question', () => {
    const r = formatAnswer(
      answer([hit({ text: '@everyone look: **now** <@&123> https://x.example' })], { question: 'who pinged @here?' }),
    );
    const e = r.embeds[0]!;
    expect(e.title).toBe(`Q: who pinged @${ZWSP}here?`);
    expect(e.description).toContain(`@${ZWSP}everyone look: \\*\\*now\\*\\* <${ZWSP}@&123> https:${ZWSP}//x.example`);
  });

  it('stays within the limits with five huge hits and huge contexts', () => {
    const huge = `${words(1500)}.`;
    const hits = Array.from({ length: 5 }, (_, i) =>
      hit({ sentence: i + 2, text: huge, title: huge, url: `https://example.com/${'p'.repeat(400)}`, context: { sentence: i + 1, text: huge } }),
    );
    const r = formatAnswer(answer(hits, { question: 'q'.repeat(300) }));
    assertWithinLimits(r.embeds);
    const desc = r.embeds[0]!.description!;
    // every hit keeps its attribution line
    expect(desc.match(/sentence \d+ of 25/g)).toHaveLength(5);
  });

  it('declines plainly and points to /sources', () => {
    const r = formatAnswer(answer([hit()], { answered: false, declineReason: 'weak-match', question: 'Who won the cup?' }));
    const e = r.embeds[0]!;
    expect(e.title).toBe('Not answered by the loaded articles');
    expect(e.description).toContain('The loaded articles do not answer “Who won the cup?”');
    expect(e.description).toContain('/sources');
    expect(e.description).not.toContain('very warm');
  });

  it('names the article when the question was restricted to one', () => {
    const r = formatAnswer(answer([], { answered: false, declineReason: 'no-match' }), { sourceTitle: 'Rates' });
    expect(r.embeds[0]?.description).toContain('The article **Rates** does not answer');
  });

  it('asks for a question when it was empty', () => {
    const r = formatAnswer(answer([], { answered: false, declineReason: 'empty-question', question: '' }));
    expect(r.embeds[0]?.title).toBe('Ask me a question');
  });
});

describe('formatSummaries', () => {
  const summary = (i: number, n = 3, text = 'A sentence of the article.'): Summary => ({
    source: `00${i}.txt`,
    title: `Article ${i}`,
    url: `https://example.com/${i}`,
    total: 20,
    sentences: Array.from({ length: n }, (_, k) => ({ sentence: k + 1, text: `${text} ${k}` })),
  });

  it('makes one embed per source with attribution', () => {
    const r = formatSummaries([summary(1)]);
    expect(r.content).toBeUndefined();
    const e = r.embeds[0]!;
    expect(e.title).toBe('Article 1');
    expect(e.url).toBe('https://example.com/1');
    expect(e.footer?.text).toBe('001.txt · 3 of 20 sentences');
    expect(e.description).toBe('> A sentence of the article. 0\n> A sentence of the article. 1\n> A sentence of the article. 2');
  });

  it('shows at most 10 and says how many were left out', () => {
    const r = formatSummaries(Array.from({ length: 13 }, (_, i) => summary(i)));
    expect(r.embeds).toHaveLength(10);
    expect(r.content).toContain('Showing 10 of 13 articles (3 left out');
    expect(r.content).toContain('source:');
  });

  it('keeps 10 long summaries within 6,000 characters in total', () => {
    const r = formatSummaries(Array.from({ length: 10 }, (_, i) => ({ ...summary(i, 10, words(300)), title: words(100) })));
    assertWithinLimits(r.embeds, r.content);
    expect(r.embeds).toHaveLength(10);
  });

  it('says when nothing is loaded', () => {
    expect(formatSummaries([]).content).toContain('No articles are loaded');
  });
});

describe('formatSources', () => {
  it('lists title, id, sentence count and a relative timestamp', () => {
    const r = formatSources([source('a.txt', 'Alpha', 25, 'https://example.com/a')]);
    const e = r.embeds[0]!;
    const unix = Math.floor(new Date('2024-05-01T12:00:00Z').getTime() / 1000);
    expect(e.description).toBe(`**[Alpha](https://example.com/a)**\n\`a.txt\` · 25 sentences · loaded <t:${unix}:R>`);
    expect(e.title).toBe('Loaded articles (1)');
    expect(r.components).toBeUndefined();
  });

  it('pages long lists with buttons, each page within the limits', () => {
    const many = Array.from({ length: 40 }, (_, i) => source(`${i}.txt`, `Title ${i} ${'x'.repeat(150)}`));
    const first = formatSources(many, 0);
    assertWithinLimits(first.embeds);
    expect(first.embeds[0]?.footer?.text).toContain('page 1 of 3');
    const row = first.components?.[0];
    expect(row?.components.map((b) => ('custom_id' in b ? b.custom_id : ''))).toEqual(['sources:page:-1', 'sources:page:1']);
    expect(row?.components[0]?.disabled).toBe(true);
    const last = formatSources(many, 99);
    expect(last.embeds[0]?.footer?.text).toContain('page 3 of 3');
    expect(last.components?.[0]?.components[1]?.disabled).toBe(true);
  });

  it('escapes titles and ids', () => {
    const r = formatSources([source('we`ird.txt', '@everyone **news**')]);
    expect(r.embeds[0]?.description).toContain(`@${ZWSP}everyone \\*\\*news\\*\\*`);
    expect(r.embeds[0]?.description).toContain('we\\`ird.txt');
  });
});

describe('formatReload', () => {
  it('shows counts before → after and every skipped file with its reason', () => {
    const r = formatReload({
      ok: true,
      before: { sources: 1, sentences: 10 },
      after: { sources: 2, sentences: 30 },
      skipped: [{ file: 'bad.pdf', reason: 'unsupported format' }],
      durationMs: 250,
    });
    const d = r.embeds[0]!.description!;
    expect(d).toContain('Articles: 1 → 2');
    expect(d).toContain('Sentences: 10 → 30');
    expect(d).toContain('• `bad.pdf` — unsupported format');
  });

  it('on failure says the old index still serves and what failed', () => {
    const r = formatReload({
      ok: false,
      before: { sources: 1, sentences: 10 },
      after: { sources: 1, sentences: 10 },
      skipped: [],
      error: 'ENOENT: no such directory seeds',
      durationMs: 3,
    });
    const e = r.embeds[0]!;
    expect(e.title).toContain('Reload failed');
    expect(e.description).toContain('The previous index is still serving: 1 article, 10 sentences.');
    expect(e.description).toContain('What failed: ENOENT: no such directory seeds');
  });

  it('keeps thousands of skipped files within the limit and counts the rest', () => {
    const skipped = Array.from({ length: 1000 }, (_, i) => ({ file: `file-${i}.bin`, reason: 'not an article '.repeat(5) }));
    const r = formatReload({ ok: true, before: { sources: 0, sentences: 0 }, after: { sources: 0, sentences: 0 }, skipped, durationMs: 1 });
    assertWithinLimits(r.embeds);
    expect(r.embeds[0]?.description).toMatch(/…and \d+ more\.$/);
  });
});

describe('other notices', () => {
  it('unknown source names it (escaped) and suggests', () => {
    const r = formatUnknownSource('nope.txt', [source('a.txt', 'Alpha')]);
    expect(r.content).toContain('No source named `nope.txt` is loaded.');
    expect(r.content).toContain('Did you mean: Alpha (`a.txt`)?');
    expect(formatUnknownSource('@everyone').content).toContain('`@everyone`');
  });

  it('help lists every command and mention usage', () => {
    const d = formatHelp('@Bot').embeds[0]!.description!;
    for (const c of ['/ask', '/summary', '/sources', '/reload', '/help']) expect(d).toContain(c);
    expect(d).toContain('@Bot who wrote the letter?');
  });
});
