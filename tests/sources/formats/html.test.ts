import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceFormatError } from '../../../src/sources/formats/errors';
import { extractHtmlArticle } from '../../../src/sources/formats/html';

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/pages/${name}`, import.meta.url), 'utf8');
}

function blocksOf(text: string): string[] {
  return text.split('\n\n');
}

/** A paragraph long enough for Readability to score it as article text. */
function prose(topic: string): string {
  return `${topic} was discussed at length by the council on Tuesday, and members said a decision would follow, though several residents disagreed with the plan.`;
}

describe('extractHtmlArticle on a semantic news page (harbor-council-budget.html)', () => {
  const article = extractHtmlArticle(fixture('harbor-council-budget.html'), 'https://www.harborledger.example/x');
  const blocks = blocksOf(article.text);

  it('reads the metadata', () => {
    expect(article.title).toBe('Harbor City council approves $48m budget after late-night session');
    expect(article.author).toBe('Maria Delgado');
    expect(article.published).toBe('2024-03-12T23:41:00-05:00');
    // The canonical link wins over og:url, which carries a tracking parameter.
    expect(article.url).toBe('https://www.harborledger.example/news/local/2024/03/12/council-approves-budget');
  });

  it('keeps every body paragraph and the subheading, in order, one block each', () => {
    expect(blocks).toEqual([
      expect.stringMatching(/^Harbor City council approved a \$48 million operating budget .* against the plan\.$/),
      expect.stringMatching(/^The budget passed 7-2, .* reserve fund\.$/),
      expect.stringMatching(/^The largest new item is \$3\.2 million .* September\.$/),
      'Library delayed again',
      expect.stringMatching(/^The east side library, first promised in 2019, .* above estimates\.$/),
      '"We would rather wait twelve months than build half a library," Whitford said.',
      expect.stringMatching(/^Several residents from the Eastgate neighbourhood .* 1,200 signatures\.$/),
      expect.stringMatching(/^The budget also raises the residential property tax rate .* typical home\.$/),
      expect.stringMatching(/^Mayor Dana Whitlock said .* after the vote\.$/),
      expect.stringMatching(/^The new budget takes effect on July 1\. .* are due\.$/),
    ]);
  });

  it.each([
    ['the cookie banner', 'We use cookies'],
    ['the navigation', 'Subscribe for $1'],
    ['the skip link', 'Skip to content'],
    ['ad labels', 'Advertisement'],
    ['the share tools', 'Share on Facebook'],
    ['the inline "Read more" promotion', 'What the new bus timetable'],
    ['the related-stories box', 'Library bids come in over budget'],
    ['"More From This Section"', 'More From This Section'],
    ['the section links', 'School board names interim superintendent'],
    ['the sidebar', 'Most read'],
    ['the newsletter sign-up', 'Morning Ledger'],
    ['the topic tags', 'Topics:'],
    ['the figure caption', 'Photo: Devon Price'],
    ['the footer', 'All rights reserved'],
    ['the byline', 'By Maria Delgado'],
    ['the dateline', 'March 12, 2024 at 11:41'],
  ])('drops %s', (_what, chrome) => {
    expect(article.text).not.toContain(chrome);
  });

  it('does not repeat the headline in the text', () => {
    expect(article.text).not.toContain('approves $48m budget after late-night session');
  });
});

describe('extractHtmlArticle on a div-soup page with JSON-LD (river-flood-warning.html)', () => {
  const article = extractHtmlArticle(fixture('river-flood-warning.html'));
  const blocks = blocksOf(article.text);

  it('reads metadata from og: tags and JSON-LD, skipping a broken JSON-LD block', () => {
    expect(article).toMatchObject({
      title: 'Flood warnings issued as Clearwater River rises toward record level',
      author: 'Tom Reyes',
      published: '2024-04-03T06:15:00+00:00',
      url: 'https://valleycourier.example/2024/04/03/clearwater-flood-warnings/',
    });
  });

  it('keeps the eight body paragraphs', () => {
    expect(blocks).toHaveLength(8);
    expect(blocks[0]).toMatch(/^Emergency officials issued flood warnings/);
    expect(blocks[2]).toBe(
      '"This is a serious situation, and people in low-lying areas should be ready to leave at short notice," said Hannah Lindqvist, director of the county emergency management office.',
    );
    expect(blocks[7]).toMatch(/^Residents can check road closures/);
  });

  it.each([
    ['the inline "Read more:" line', 'Weekend rainfall totals'],
    ['"More From This Section" and its links', 'Dam inspection finds'],
    ['the inline ad', 'Advertisement'],
    ['the subscription plea inside the body', 'Subscribe to the Valley Courier'],
    ['the comments', 'Stay safe everyone'],
    ['the weather widget', 'Rain, 12'],
    ['the cookie notice', 'uses cookies'],
    ['"You may also like"', 'Flood insurance rates set to climb'],
    ['the byline', 'Environment Correspondent'],
    ['the dateline', 'Published April 3'],
    ['the footer', 'Valley Media Group'],
  ])('drops %s', (_what, chrome) => {
    expect(article.text).not.toContain(chrome);
  });
});

describe('extractHtmlArticle on a page with accents and a relative canonical link (cafe-owners-protest.html)', () => {
  const article = extractHtmlArticle(fixture('cafe-owners-protest.html'), 'https://northside.example/some/path?ref=home');

  it('reads the metadata, trimming the site name from the title', () => {
    expect(article).toMatchObject({
      title: 'Café owners protest new terrace fees',
      author: 'Sofía Muñoz',
      published: '2024-05-21',
      url: 'https://northside.example/business/2024/05/cafe-owners-protest-terrace-fees',
    });
  });

  it('keeps the text with its accents and curly quotes', () => {
    expect(blocksOf(article.text)).toHaveLength(6);
    expect(article.text).toContain('“We are not against paying our share,” said Jürgen Weiß');
    expect(article.text).toContain('Noëlle Dubois');
  });

  it('drops the newsletter pop-up, the date line, share buttons and recommendations', () => {
    expect(article.text).not.toMatch(/miss a story|^21 May 2024$|Tweet|Recommended|Jazz festival|Independent local news/m);
  });
});

describe('extractHtmlArticle on a table-layout page with <br> paragraphs (library-hours-notice.html)', () => {
  const article = extractHtmlArticle(fixture('library-hours-notice.html'), 'https://pinecrest.example/news/hours.html');

  it('splits paragraphs at line breaks and drops the headline, dateline, navigation and footer', () => {
    expect(article.title).toBe('Library extends weekend hours');
    expect(article.url).toBe('https://pinecrest.example/news/hours.html');
    expect(blocksOf(article.text)).toEqual([
      'The Pinecrest Public Library will stay open until 8 p.m. on Saturdays and Sundays from 1 March, the library board decided at its January meeting.',
      "The longer hours are paid for by a two-year grant from the county arts council. Head librarian Odile Fournier said weekend evenings were the most requested change in last autumn's survey.",
      "The children's room will keep its current hours.",
    ]);
  });
});

describe('extractHtmlArticle blocks', () => {
  it('gives list items, block quotes and preformatted text one block each, with whitespace collapsed', () => {
    const html = `<article><h1>Votes</h1><p>${prose('The budget')}</p>
      <ul><li>Buses:   more often</li><li>Library: <em>delayed</em></li></ul>
      <blockquote><p>First quoted paragraph.</p><p>Second quoted paragraph.</p></blockquote>
      <pre>Line one
        line two</pre></article>`;
    expect(blocksOf(extractHtmlArticle(html).text)).toEqual([
      prose('The budget'),
      'Buses: more often',
      'Library: delayed',
      'First quoted paragraph.',
      'Second quoted paragraph.',
      'Line one line two',
    ]);
  });

  it('keeps sentences that merely start like boilerplate', () => {
    const sentences = [
      'Related charges were filed against two men on Monday.',
      'By Monday, the council had agreed to the plan.',
      'Published reports suggested the mayor would resign.',
      'Share prices fell 4 per cent after the announcement.',
    ];
    const html = `<article><p>${prose('The plan')}</p>${sentences.map((s) => `<p>${s}</p>`).join('')}</article>`;
    expect(blocksOf(extractHtmlArticle(html).text).slice(1)).toEqual(sentences);
  });

  it('keeps an article whose container class happens to contain a chrome word', () => {
    const paragraphs = ['The harbour', 'The ferry', 'The pier'].map(prose);
    const html = `<div class="story-body share-enabled">${paragraphs.map((p) => `<p>${p}</p>`).join('')}</div>`;
    expect(blocksOf(extractHtmlArticle(html).text)).toEqual(paragraphs);
  });

  it('keeps an article inside a page-wide <form> (ASP.NET WebForms) but drops a sign-up form', () => {
    const paragraphs = ['The harbour', 'The ferry', 'The pier'].map(prose);
    const html = `<form id="aspnetForm" method="post"><div id="content">${paragraphs.map((p) => `<p>${p}</p>`).join('')}</div>
      <form class="box"><label>Your email address for our daily briefing</label><input type="email"></form></form>`;
    expect(blocksOf(extractHtmlArticle(html).text)).toEqual(paragraphs);
  });

  it('drops hidden elements', () => {
    const html = `<article><p>${prose('The vote')}</p><p style="display: none">Hidden tracking text.</p><p hidden>Also hidden.</p></article>`;
    expect(extractHtmlArticle(html).text).toBe(prose('The vote'));
  });

  it('reads pages nested too deeply for Readability with the plain text walk', () => {
    const depth = 400;
    const html = `${'<div class="wrap">'.repeat(depth)}<p>${prose('The tunnel')}</p>${'</div>'.repeat(depth)}`;
    expect(extractHtmlArticle(html).text).toBe(prose('The tunnel'));
  });

  it('reads pathologically deep nesting (100,000 <div>) by unwrapping what is nested past the cap', () => {
    const depth = 100_000;
    const html = `${'<div>'.repeat(depth)}<p>${prose('The tunnel')}</p>${'</div>'.repeat(depth)}<p>${prose('The bridge')}</p>`;
    expect(blocksOf(extractHtmlArticle(html).text)).toEqual([prose('The tunnel'), prose('The bridge')]);
  });

  it('reads a fragment without <html> or <body>', () => {
    expect(extractHtmlArticle('<p>The pool is closed today for repairs.</p>').text).toBe('The pool is closed today for repairs.');
  });
});

describe('extractHtmlArticle metadata', () => {
  const page = (head: string, body = `<article><p>${prose('The bridge')}</p></article>`): string =>
    `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`;

  it('falls back to <title> and the page URL', () => {
    const article = extractHtmlArticle(page('<title>Bridge repairs begin on Monday</title>'), 'https://example.org/a');
    expect(article.title).toBe('Bridge repairs begin on Monday');
    expect(article.url).toBe('https://example.org/a');
  });

  it('prefers og:title to <title>', () => {
    const article = extractHtmlArticle(page('<title>Bridge | Site</title><meta property="og:title" content="Bridge repairs begin on Monday">'));
    expect(article.title).toBe('Bridge repairs begin on Monday');
  });

  it('ignores an article:author that is a profile URL, and strips "By"', () => {
    const head = '<meta property="article:author" content="https://facebook.com/someone"><meta name="author" content="By Lena Ortiz">';
    expect(extractHtmlArticle(page(head)).author).toBe('Lena Ortiz');
  });

  it('joins several JSON-LD authors', () => {
    const jsonLd = { '@type': 'NewsArticle', author: [{ name: 'Ana Lima' }, { name: 'Ben Cho' }], datePublished: '2024-01-02' };
    const article = extractHtmlArticle(page(`<script type="application/ld+json">${JSON.stringify(jsonLd)}</script>`));
    expect(article).toMatchObject({ author: 'Ana Lima, Ben Cho', published: '2024-01-02' });
  });

  it('takes the <time> inside the article rather than one in a related list', () => {
    const body = `<ul class="latest"><li><time datetime="2023-01-01">old</time> Another story</li></ul>
      <article><time datetime="2024-06-30T10:00:00Z">30 June</time><p>${prose('The bridge')}</p></article>`;
    expect(extractHtmlArticle(page('', body)).published).toBe('2024-06-30T10:00:00Z');
  });

  it('ignores a canonical link that is not http(s)', () => {
    const article = extractHtmlArticle(page('<link rel="canonical" href="javascript:void(0)">'), 'https://example.org/b');
    expect(article.url).toBe('https://example.org/b');
  });

  it('leaves absent metadata out of the result', () => {
    expect(Object.keys(extractHtmlArticle(page('')))).toEqual(['text']);
  });
});

describe('extractHtmlArticle with no article text', () => {
  it.each([
    ['an empty document', ''],
    ['only whitespace', '<html><body>  \n </body></html>'],
    ['only navigation and scripts', '<nav><a href="/">Home</a><a href="/news">News</a></nav><script>var a = 1;</script>'],
    ['only a headline', '<html><head><title>Pool closed</title></head><body><h1>Pool closed</h1></body></html>'],
    ['only chrome', '<div class="cookie-banner"><p>We use cookies.</p></div><p>Advertisement</p><footer>© 2024</footer>'],
  ])('throws SourceFormatError for %s', (_what, html) => {
    expect(() => extractHtmlArticle(html)).toThrow(SourceFormatError);
    expect(() => extractHtmlArticle(html)).toThrow('no article text found in the HTML');
  });
});

describe('bylines and datelines (issue 14 item 10)', () => {
  const body = '<p>Wheat prices fell for a third month as harvests came in larger than expected across the plains.</p><p>Farmers said costs kept rising.</p>';
  it.each([
    ['<p>By Priya Raman, Agriculture Reporter | April 22, 2024</p>', 'April 22, 2024'],
    ['<div class="meta">By Priya Raman | Published April 22, 2024</div>', 'April 22, 2024'],
    ['<p>Priya Raman | April 22, 2024</p>', 'April 22, 2024'],
    ['<p><span>By Priya Raman</span><br>Agriculture Reporter<br>April 22, 2024</p>', 'April 22, 2024'],
  ])('%s becomes author and published, not sentence 1', (byline, published) => {
    const article = extractHtmlArticle(`<html><body><article><h1>Farm prices fall</h1>${byline}${body}</article></body></html>`);
    expect(article.author).toBe('Priya Raman');
    expect(article.published).toBe(published);
    expect(blocksOf(article.text)[0]).toMatch(/^Wheat prices fell/);
  });

  it('keeps prose that merely starts with "By"', () => {
    const article = extractHtmlArticle(`<html><body><article><p>By Monday, the council had agreed to repair the harbour wall before winter.</p>${body}</article></body></html>`);
    expect(blocksOf(article.text)[0]).toMatch(/^By Monday/);
  });
});
