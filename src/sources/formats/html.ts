import type { Readability } from '@mozilla/readability';
import { SourceFormatError } from './errors';
import { capNesting } from './html-depth';
import { linkedomLibrary, readabilityLibrary } from './html-libraries';

export interface ExtractedArticle {
  title?: string;
  author?: string;
  published?: string;
  url?: string;
  /** Paragraphs and headings, one per block, blocks separated by a blank line. */
  text: string;
}

/**
 * The slice of the DOM this module uses. The project compiles without the DOM lib, and
 * linkedom's own typings are loose, so naming what we rely on keeps the code checked.
 */
interface DomNode {
  readonly nodeType: number;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
}

interface DomElement extends DomNode {
  readonly localName: string;
  readonly nextElementSibling: DomElement | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  closest(selector: string): DomElement | null;
  remove(): void;
}

interface DomDocument {
  readonly title: string;
  readonly body: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_NODE = 4;

/**
 * Readability's scoring is super-linear in nesting depth (1,000 nested divs take seconds), and
 * real article pages stay far below this, so deeper pages skip it and use the plain text walk.
 */
const MAX_READABLE_DEPTH = 150;

export function extractHtmlArticle(html: string, pageUrl?: string): ExtractedArticle {
  try {
    return extract(html, pageUrl);
  } catch (error) {
    if (error instanceof RangeError) throw new SourceFormatError('the HTML is nested too deeply to read');
    throw error;
  }
}

function extract(html: string, pageUrl: string | undefined): ExtractedArticle {
  const document = parseDocument(html);
  // Readability rewrites the document, so metadata is read first.
  const metadata = readMetadata(document, pageUrl);
  removeChrome(document);
  const article = nestingDepth(document.body) <= MAX_READABLE_DEPTH ? readability(document) : null;

  const title = withoutSiteName(nonEmpty(article?.title) ?? metadata.title, metadata.headline);
  const author = cleanAuthor(nonEmpty(article?.byline)) ?? metadata.author;
  const clean = (root: DomElement | null | undefined): CleanedBlocks => (root ? cleanBlocks(textBlocks(root), { title, author }) : { blocks: [], byline: {} });

  let { blocks, byline } = clean(article?.content);
  if (blocks.length === 0) {
    // Readability gives up on short or oddly built pages; the page's own text is better than nothing.
    const fresh = parseDocument(html);
    removeChrome(fresh);
    ({ blocks, byline } = clean(fresh.body));
  }
  if (blocks.length === 0) throw new SourceFormatError('no article text found in the HTML');

  return omitUndefined({
    title,
    author: author ?? byline.author,
    published: metadata.published ?? nonEmpty(article?.publishedTime) ?? byline.published,
    url: metadata.url,
    text: blocks.join('\n\n'),
  });
}

type ReadabilityResult = ReturnType<Readability<DomElement>['parse']>;

function readability(document: DomDocument): ReadabilityResult {
  const { Readability: Reader } = readabilityLibrary();
  const reader = new Reader<DomElement>(document as never, { serializer: (node) => node as DomElement });
  return reader.parse();
}

/** Deepest element nesting below `root`, walked without recursion. */
function nestingDepth(root: DomElement | null): number {
  let deepest = 0;
  const stack: Array<[DomNode, number]> = root ? [[root, 0]] : [];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, depth] = entry;
    deepest = Math.max(deepest, depth);
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === ELEMENT_NODE) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/** "Café owners protest – Northside Bulletin" → the page's own headline when the title merely extends it. */
function withoutSiteName(title: string | undefined, headline: string | undefined): string | undefined {
  if (!title || !headline || !title.startsWith(headline)) return title ?? headline;
  return /^\s+[|–—\-:·•»]\s/.test(title.slice(headline.length)) ? headline : title;
}

function parseDocument(html: string): DomDocument {
  // linkedom makes the first element the document element when there is no <html>,
  // which leaves Readability without a <body>; wrapping gives fragments a normal shape.
  const capped = capNesting(html);
  const source = /<html[\s>]/i.test(capped) ? capped : `<!DOCTYPE html><html><head></head><body>${capped}</body></html>`;
  return linkedomLibrary().parseHTML(source).document as DomDocument;
}

// ---------------------------------------------------------------- metadata

interface PageMetadata {
  title?: string;
  /** The page's only <h1>, if it has exactly one. */
  headline?: string;
  author?: string;
  published?: string;
  url?: string;
}

function readMetadata(document: DomDocument, pageUrl: string | undefined): PageMetadata {
  const meta = metaTags(document);
  const jsonLd = jsonLdArticle(document);
  const canonical = document.querySelector('link[rel~="canonical"]')?.getAttribute('href');
  return {
    title: meta.get('og:title') ?? meta.get('twitter:title') ?? jsonLd.headline ?? nonEmpty(document.title),
    headline: onlyHeadline(document),
    author: cleanAuthor(
      meta.get('author') ??
        nonUrl(meta.get('article:author')) ??
        jsonLd.author ??
        nonEmpty(textOf(document.querySelector('[rel~="author"]'))),
    ),
    published:
      meta.get('article:published_time') ??
      jsonLd.datePublished ??
      nonEmpty(articleTime(document)) ??
      meta.get('date') ??
      meta.get('dc.date'),
    url: absoluteHttpUrl(canonical, pageUrl) ?? absoluteHttpUrl(meta.get('og:url'), pageUrl) ?? absoluteHttpUrl(pageUrl),
  };
}

function onlyHeadline(document: DomDocument): string | undefined {
  const headings = document.querySelectorAll('h1');
  return headings.length === 1 ? nonEmpty(headings[0]?.textContent) : undefined;
}

/** First value of each `<meta name|property=…>`, keyed in lower case. */
function metaTags(document: DomDocument): Map<string, string> {
  const tags = new Map<string, string>();
  for (const element of Array.from(document.querySelectorAll('meta'))) {
    const name = element.getAttribute('property') ?? element.getAttribute('name') ?? element.getAttribute('itemprop');
    const key = name?.toLowerCase();
    const value = nonEmpty(element.getAttribute('content'));
    if (key && value && !tags.has(key)) tags.set(key, value);
  }
  return tags;
}

/** Prefers a <time> inside the article, so a date in a related-stories list is not taken for it. */
function articleTime(document: DomDocument): string | undefined {
  const time = document.querySelector('article time[datetime]') ?? document.querySelector('time[datetime]');
  return time?.getAttribute('datetime') ?? undefined;
}

interface JsonLdArticle {
  headline?: string;
  author?: string;
  datePublished?: string;
}

const ARTICLE_TYPES = /^(?:\w*Article|BlogPosting|Report|ReportageNewsArticle|LiveBlogPosting)$/;

function jsonLdArticle(document: DomDocument): JsonLdArticle {
  for (const script of Array.from(document.querySelectorAll('script[type="application/ld+json"]'))) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue; // Broken JSON-LD is common; the other sources of metadata still apply.
    }
    const found = findArticleNode(data);
    if (found) {
      return omitUndefined({
        headline: stringField(found.headline),
        author: authorName(found.author),
        datePublished: stringField(found.datePublished),
      });
    }
  }
  return {};
}

function findArticleNode(data: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(data)) {
    for (const item of data) {
      const found = findArticleNode(item);
      if (found) return found;
    }
    return undefined;
  }
  if (!isRecord(data)) return undefined;
  const types = ([] as unknown[]).concat(data['@type']);
  if (types.some((type) => typeof type === 'string' && ARTICLE_TYPES.test(type))) return data;
  return findArticleNode(data['@graph']);
}

function authorName(author: unknown): string | undefined {
  const names = ([] as unknown[])
    .concat(author)
    .map((entry) => (isRecord(entry) ? stringField(entry.name) : stringField(entry)))
    .filter((name): name is string => name !== undefined);
  return names.length > 0 ? names.join(', ') : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' ? nonEmpty(value) : undefined;
}

function cleanAuthor(author: string | undefined): string | undefined {
  return nonEmpty(author?.replace(/^\s*by\s+/i, '').replace(/\s+/g, ' '));
}

function nonUrl(value: string | undefined): string | undefined {
  // article:author is often a profile URL rather than a name.
  return value && !/^https?:\/\//i.test(value) ? value : undefined;
}

function absoluteHttpUrl(href: string | null | undefined, base?: string): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- page chrome

/** Elements that are never article prose. */
const CHROME_SELECTOR = [
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'svg',
  'button',
  'select',
  'input',
  'dialog',
  'nav',
  'aside',
  'footer',
  'figcaption',
  '[hidden]',
  '[aria-hidden="true"]',
  '[style*="display:none"]',
  '[style*="display: none"]',
  '[style*="visibility:hidden"]',
  '[style*="visibility: hidden"]',
  '[role="navigation"]',
  '[role="contentinfo"]',
  '[role="complementary"]',
  '[role="dialog"]',
  '[role="alertdialog"]',
].join(', ');

/**
 * Class or id words that mark ads, banners and promotion blocks. Matched as whole words
 * inside class/id tokens ("cookie-banner", "share_bar"), not as substrings ("shared-story").
 */
const CHROME_WORDS = wholeWords([
  ...['ad', 'ads', 'advert', 'advertisement', 'adslot', 'sponsored', 'outbrain', 'taboola', 'promo'],
  ...['banner', 'cookie', 'cookies', 'consent', 'gdpr', 'paywall', 'popup', 'modal'],
  ...['newsletter', 'subscribe', 'subscription', 'signup', 'share', 'sharing', 'social'],
  ...['related', 'recirc', 'recommended', 'more-from', 'read-more', 'readmore', 'breadcrumb', 'breadcrumbs'],
  ...['caption', 'credit', 'tags', 'comment', 'comments'],
]);

function wholeWords(words: string[]): RegExp {
  return new RegExp(`(?:^|[\\s_-])(?:${words.join('|')})(?=$|[\\s_-])`, 'i');
}

/** A block with this much prose is the article itself, whatever its class says. */
const ARTICLE_SIZED = { paragraphs: 3, characters: 80 };

function removeChrome(document: DomDocument): void {
  for (const element of Array.from(document.querySelectorAll(CHROME_SELECTOR))) element.remove();
  // Page headers carry navigation; an <header> inside the article carries its headline.
  for (const header of Array.from(document.querySelectorAll('header'))) {
    if (!header.closest('article, main, [role="main"]')) header.remove();
  }
  for (const heading of Array.from(document.querySelectorAll('h2, h3, h4, h5, h6'))) {
    if (!PROMO_HEADING.test(nonEmpty(heading.textContent) ?? '')) continue;
    const next = heading.nextElementSibling;
    if (next && ['ul', 'ol'].includes(next.localName)) next.remove();
    heading.remove();
  }
  // Some CMSs (ASP.NET WebForms) wrap the whole page in one <form>, so only small forms go.
  // Counted only when there is something to judge, once per loop of removals.
  let forForms: Map<DomNode, number> | undefined;
  for (const form of Array.from(document.querySelectorAll('form'))) {
    forForms ??= countLongParagraphs(document);
    if (!isArticleSized(form, forForms)) form.remove();
  }
  // Counted again: the forms removed held paragraphs the elements around them no longer have.
  let forChrome: Map<DomNode, number> | undefined;
  for (const element of Array.from(document.querySelectorAll('[class], [id]'))) {
    const names = `${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`;
    if (!CHROME_WORDS.test(names) || isStructural(element)) continue;
    forChrome ??= countLongParagraphs(document);
    if (!isArticleSized(element, forChrome)) element.remove();
  }
}

function isStructural(element: DomElement): boolean {
  return ['html', 'body', 'main', 'article'].includes(element.localName);
}

/**
 * An element is checked before anything inside it is removed (document order), so counts taken
 * once before a loop of removals still hold for each element when its turn comes.
 */
function isArticleSized(element: DomElement, longParagraphs: ReadonlyMap<DomNode, number>): boolean {
  return (longParagraphs.get(element) ?? 0) >= ARTICLE_SIZED.paragraphs;
}

/** Where the non-space text of a node lies: its length and the offsets of its first and last non-space characters (-1: none). */
interface TextExtent {
  length: number;
  first: number;
  last: number;
}

/**
 * For every element, how many <p> inside it hold at least ARTICLE_SIZED.characters of trimmed text,
 * in one bottom-up pass. Asking each element's subtree (querySelectorAll('p') and textContent) was
 * quadratic in the nesting: 440 KB of nested <div class="ad"> took 39 s (issue 15).
 */
function countLongParagraphs(document: DomDocument): Map<DomNode, number> {
  const counts = new Map<DomNode, number>();
  const extents = new Map<DomNode, TextExtent>();
  const root = document.querySelector('html');
  if (root === null) return counts;
  // Iterative post-order walk: a node is finished when all its children are.
  const stack: Array<{ node: DomNode; children: DomNode[]; next: number }> = [{ node: root, children: Array.from(root.childNodes), next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { node: DomNode; children: DomNode[]; next: number };
    while (top.next < top.children.length && top.children[top.next]?.nodeType !== ELEMENT_NODE) top.next++;
    const pending = top.children[top.next++];
    if (pending !== undefined) {
      stack.push({ node: pending, children: Array.from(pending.childNodes), next: 0 });
      continue;
    }
    stack.pop();
    let count = 0;
    const extent: TextExtent = { length: 0, first: -1, last: -1 };
    for (const child of top.children) {
      const inner = child.nodeType === ELEMENT_NODE ? extents.get(child) : child.nodeType === TEXT_NODE || child.nodeType === CDATA_NODE ? textExtent(child.textContent ?? '') : undefined;
      if (inner === undefined) continue;
      if (inner.first >= 0) {
        if (extent.first < 0) extent.first = extent.length + inner.first;
        extent.last = extent.length + inner.last;
      }
      extent.length += inner.length;
      if (child.nodeType === ELEMENT_NODE) {
        count += (counts.get(child) ?? 0) + ((child as DomElement).localName === 'p' && trimmedLength(inner) >= ARTICLE_SIZED.characters ? 1 : 0);
      }
    }
    extents.set(top.node, extent);
    counts.set(top.node, count);
  }
  return counts;
}

function textExtent(text: string): TextExtent {
  const first = text.search(/\S/);
  let last = text.length - 1;
  while (last >= 0 && /\s/.test(text[last] ?? '')) last--;
  return { length: text.length, first, last: first < 0 ? -1 : last };
}

function trimmedLength(extent: TextExtent): number {
  return extent.first < 0 ? 0 : extent.last - extent.first + 1;
}

// ---------------------------------------------------------------- text blocks

/**
 * Elements that start a new block of text; everything else is inline. <br> counts as a break
 * because pages built without <p> use it to separate headline, dateline and paragraphs.
 */
const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'blockquote', 'dd', 'details', 'div', 'dl', 'dt', 'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'br', 'header', 'hr', 'li', 'main', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul',
]);
const SKIPPED_ELEMENTS = new Set([
  ...['head', 'title', 'meta', 'link', 'script', 'style', 'noscript', 'template'],
  ...['figcaption', 'img', 'picture', 'video', 'audio', 'svg', 'button'],
]);
/** Inline elements that still separate words: table cells (<br> is a block, above). */
const SPACED_ELEMENTS = new Set(['td', 'th']);

/** Walks the content DOM collecting each paragraph-level run of text as one block. */
function textBlocks(root: DomElement): string[] {
  const blocks: string[] = [];
  const pending: string[] = [];
  const flush = (): void => {
    const block = pending.join('').replace(/\s+/g, ' ').trim();
    if (block) blocks.push(block);
    pending.length = 0;
  };
  const walk = (node: DomNode): void => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === TEXT_NODE) {
        pending.push(child.textContent ?? '');
      } else if (child.nodeType === ELEMENT_NODE) {
        const name = (child as DomElement).localName;
        if (SKIPPED_ELEMENTS.has(name)) continue;
        if (BLOCK_ELEMENTS.has(name)) {
          flush();
          walk(child);
          flush();
        } else {
          if (SPACED_ELEMENTS.has(name)) pending.push(' ');
          walk(child);
          if (SPACED_ELEMENTS.has(name)) pending.push(' ');
        }
      }
    }
  };
  walk(root);
  flush();
  return blocks;
}

/** Headings of promotion blocks; the heading and the link list after it are not article text. */
const PROMO_HEADING = new RegExp(
  `^(?:${[
    String.raw`more from(?: this section| \p{L}+)?`,
    'related(?: articles| stories| coverage| content| links)?',
    'read (?:more|next|also)|see also|also read',
    'you (?:may|might) also like|recommended(?: for you)?',
    'most (?:read|popular|viewed)|trending(?: now)?|top stories|latest news',
    'more stories|more on this(?: story)?',
    "editor['’]s picks",
  ].join('|')})[:.]?$`,
  'iu',
);

/** Lines that site templates put between paragraphs: promotions, share prompts and ad labels. */
const BOILERPLATE_LINES = [
  PROMO_HEADING,
  /^(?:read more|read next|see also|also read|related|recommended|more|watch|listen|further reading)\s*:/i,
  /^(?:advertisement|sponsored content|story continues below(?: advertisement)?|continue reading(?: below)?)$/i,
  /^(?:share|tweet|email|print|copy link)$/i,
  /^share (?:this|on)\b/i,
  /^(?:subscribe|sign up|follow us|join our|get our|download our|don['’]t miss)\b/i,
  /^(?:photo|image|picture|video)(?: credit)?\s*:/i,
];
const MAX_BOILERPLATE_LENGTH = 120;

/** A dateline on its own: "21 May 2024", "March 12, 2024 at 11:41 p.m.", "2024-05-21". */
const DATE_ONLY = new RegExp(
  String.raw`^(?:\p{L}+,?\s+)?` + // weekday
    String.raw`(?:\d{1,2}\.?\s+\p{L}+\.?,?\s+\d{4}|\p{L}+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2})` +
    String.raw`(?:[,\s]+(?:at\s+)?\d{1,2}[:.]\d{2}.*)?$`, // time of day
  'iu',
);
const DATELINE_PREFIX = /^(?:published|updated|posted|last updated)(?:\s+(?:on|at))?\s*:?\s*/i;
const MAX_DATELINE_LENGTH = 60;

interface Byline {
  author?: string;
  published?: string;
}

interface CleanedBlocks {
  blocks: string[];
  /** What the byline and dateline lines said, so they become metadata instead of sentences. */
  byline: Byline;
}

/** Bylines and datelines are read only near the top: further down, "By …" starts prose more often than it names a writer. */
const BYLINE_BLOCKS = 6;

function cleanBlocks(blocks: string[], article: { title?: string; author?: string }): CleanedBlocks {
  const byline: Byline = {};
  let afterByline = false;
  const kept = blocks.filter((block, index) => {
    // A writer's role on its own line under the byline ("By Jane Doe" / "Staff Writer").
    const wasAfterByline = afterByline;
    afterByline = false;
    if (wasAfterByline && ROLE_PART.test(block)) return false;
    if (isBoilerplate(block)) return false;
    if (isDateline(block)) {
      if (index < BYLINE_BLOCKS) byline.published ??= block.replace(DATELINE_PREFIX, '');
      return false;
    }
    const read = index < BYLINE_BLOCKS ? readByline(block) : undefined;
    if (read !== undefined) {
      byline.author ??= read.author;
      byline.published ??= read.published;
      afterByline = read.author !== undefined;
      return false;
    }
    return !isByline(block, article.author);
  });
  // The title is metadata; Readability drops it from the body only when it is marked up as a heading.
  if (kept[0] !== undefined && kept[0] === article.title) kept.shift();
  return { blocks: kept, byline: omitUndefined(byline) };
}

/** Parts of a byline line: "By Priya Raman, Agriculture Reporter | April 22, 2024". */
const BYLINE_SEPARATOR = /\s+[|·•]\s+|\s+[—–]\s+/u;
const NAME = String.raw`\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3}`;
const BY_PART = new RegExp(String.raw`^[Bb]y\s+(${NAME}(?:\s+(?:and|&)\s+${NAME})?)(?:,\s*(.*))?$`, 'u');
const NAME_PART = new RegExp(`^${NAME}$`, 'u');
const ROLE_PART = /^(?:[\p{Lu}][\p{L}'’-]*\s+){0,3}(?:reporter|correspondent|editor|writer|contributor|columnist|journalist|producer|staff)$/iu;

/**
 * The writer and date a byline or dateline line gives, or undefined when the line is not one: every part
 * between separators must be a "By Name[, Role]", a role, a date, or (beside a date) a bare name.
 */
function readByline(block: string): Byline | undefined {
  if (block.length > MAX_BYLINE_LENGTH + 40) return undefined;
  const parts = block.split(BYLINE_SEPARATOR).map((part) => part.trim());
  const found: Byline = {};
  const names: string[] = [];
  for (const part of parts) {
    const by = BY_PART.exec(part);
    if (by?.[1] !== undefined && (by[2] === undefined || by[2] === '' || ROLE_PART.test(by[2]) || NAME_PART.test(by[2]))) found.author ??= by[1];
    else if (isDateline(part)) found.published ??= part.replace(DATELINE_PREFIX, '');
    else if (ROLE_PART.test(part) && parts.length > 1) continue;
    else if (NAME_PART.test(part)) names.push(part);
    else return undefined;
  }
  if (found.author === undefined && names.length > 0) {
    // A bare name counts only beside a date: "Priya Raman | April 22, 2024".
    if (found.published === undefined || names.length > 1) return undefined;
    found.author = names[0];
  }
  return found.author === undefined && found.published === undefined ? undefined : omitUndefined(found);
}

function isBoilerplate(block: string): boolean {
  return block.length <= MAX_BOILERPLATE_LENGTH && BOILERPLATE_LINES.some((pattern) => pattern.test(block));
}

function isDateline(block: string): boolean {
  return block.length <= MAX_DATELINE_LENGTH && DATE_ONLY.test(block.replace(DATELINE_PREFIX, ''));
}

const MAX_BYLINE_LENGTH = 80;

/** "By Jane Doe, Staff Writer" – short, capitalised, and not a sentence ("By Monday, the council agreed."). */
function isByline(block: string, author: string | undefined): boolean {
  if (block.length > MAX_BYLINE_LENGTH) return false;
  if (author && cleanAuthor(block) === author) return true;
  // "By" or "by": the pattern once read only lower case, so "By Jane Doe" stayed a sentence (issue 14).
  return /^[Bb]y\s+\p{Lu}/u.test(block) && !/[.!?"”]$/u.test(block);
}

// ---------------------------------------------------------------- small helpers

function textOf(element: DomElement | null): string | undefined {
  return element?.textContent ?? undefined;
}

function nonEmpty(value: string | null | undefined): string | undefined {
  const trimmed = value?.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed : undefined;
}

/** Keeps optional fields absent rather than present-and-undefined, so results compare cleanly. */
function omitUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
