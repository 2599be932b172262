/**
 * Markdown → plain prose for indexing. Not a renderer: it keeps the words a reader would read
 * and drops the markup, code and images, with one block per paragraph, heading, list or table.
 */

type BlockKind = 'heading' | 'paragraph' | 'list' | 'table';

interface Block {
  kind: BlockKind;
  lines: string[];
}

interface QuotedLine {
  depth: number;
  text: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX_OPENER = /^ {0,3}#{1,6}(?=[ \t]|$)/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^[ \t]*(?:[-*+]|(\d{1,9})[.)])[ \t]+(.*)$/;
const TASK_BOX = /^\[[ xX]\][ \t]+/;
const REFERENCE_DEFINITION = /^ {0,3}\[([^\]^][^\]]*)\]:[ \t]*<?\S+>?(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^)]*\)))?[ \t]*$/;
const FOOTNOTE_DEFINITION = /^ {0,3}\[\^[^\]]+\]:[ \t]*/;
const HTML_BLOCK_START =
  /^ {0,3}<\/?(?:address|article|aside|blockquote|details|div|dl|figure|footer|h[1-6]|header|nav|ol|p|pre|section|table|ul)\b/i;

export function markdownToText(markdown: string): string {
  // NUL is reserved for the placeholders renderInline uses.
  const normalized = markdown.replace(/\r\n?/g, '\n').replace(/\0/g, '');
  const { frontMatter, body } = splitFrontMatter(normalized);
  const { lines, references } = takeReferenceDefinitions(removeHtmlNoise(body).split('\n'));
  const text = parseBlocks(lines)
    .map((block) => renderBlock(block, references))
    .filter((rendered) => rendered !== '')
    .join('\n\n');
  // Front matter is the loader's business (it carries title/url/author), so it passes through untouched.
  return frontMatter === undefined ? text : `${frontMatter}\n${text}`;
}

function splitFrontMatter(markdown: string): { frontMatter?: string; body: string } {
  const match = /^---\n(?:[\w-]+[ \t]*:.*\n)(?:.*\n)*?(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(markdown);
  if (!match) return { body: markdown };
  return { frontMatter: match[0].endsWith('\n') ? match[0] : `${match[0]}\n`, body: markdown.slice(match[0].length) };
}

/**
 * Removes HTML comments and <script>/<style> elements. Once an opener has no closer after it, no later
 * one of its kind can have one either, so the scan stops looking: a global `/<!--[\s\S]*?-->/` searched
 * to the end of the file again from every "<!--", quadratic on a file of them (issue 15).
 */
function removeHtmlNoise(markdown: string): string {
  const opener = /<!--|<(script|style)\b/gi;
  const mayClose = new Set(['comment', 'script', 'style']);
  const parts: string[] = [];
  let copied = 0;
  for (let match = opener.exec(markdown); match; match = opener.exec(markdown)) {
    const kind = match[1]?.toLowerCase() ?? 'comment';
    if (!mayClose.has(kind)) continue;
    const end = kind === 'comment' ? commentEnd(markdown, match.index) : elementEnd(markdown, match.index, kind);
    if (end === undefined) {
      mayClose.delete(kind);
      continue;
    }
    parts.push(markdown.slice(copied, match.index));
    copied = end;
    opener.lastIndex = end;
  }
  parts.push(markdown.slice(copied));
  return parts.join('');
}

function commentEnd(text: string, start: number): number | undefined {
  const close = text.indexOf('-->', start + 4);
  return close < 0 ? undefined : close + 3;
}

function elementEnd(text: string, start: number, name: string): number | undefined {
  const tagEnd = text.indexOf('>', start);
  if (tagEnd < 0) return undefined;
  const closer = new RegExp(`</${name}\\s*>`, 'gi');
  closer.lastIndex = tagEnd + 1;
  const close = closer.exec(text);
  return close ? close.index + close[0].length : undefined;
}

function takeReferenceDefinitions(lines: string[]): { lines: string[]; references: Set<string> } {
  const references = new Set<string>();
  const kept: string[] = [];
  let inFence = false;
  for (const line of lines) {
    if (FENCE.test(line)) inFence = !inFence;
    const definition = inFence ? null : REFERENCE_DEFINITION.exec(line);
    if (definition?.[1]) references.add(referenceKey(definition[1]));
    else kept.push(inFence ? line : line.replace(FOOTNOTE_DEFINITION, ''));
  }
  return { lines: kept, references };
}

function referenceKey(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

function parseBlocks(rawLines: string[]): Block[] {
  const lines = rawLines.map(unquote);
  const blocks: Block[] = [];
  let current: Block | undefined;
  const close = (): void => {
    if (current) blocks.push(current);
    current = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const { depth, text } = lines[i] as QuotedLine;
    // Entering or leaving a block quote always starts a new block.
    if (i > 0 && depth !== lines[i - 1]?.depth) close();
    if (text.trim() === '') {
      close();
      continue;
    }
    const fence = FENCE.exec(text);
    if (fence?.[1]) {
      close();
      i = endOfFence(lines, i, fence[1]);
      continue;
    }
    const heading = atxHeading(text);
    if (heading !== undefined) {
      close();
      blocks.push({ kind: 'heading', lines: [heading] });
      continue;
    }
    if (SETEXT_UNDERLINE.test(text) && current?.kind === 'paragraph') {
      current.kind = 'heading';
      close();
      continue;
    }
    if (THEMATIC_BREAK.test(text)) {
      close();
      continue;
    }
    if (text.includes('|') && lines[i + 1]?.text.includes('|') && isTableDelimiter(lines[i + 1]?.text ?? '')) {
      close();
      const table: Block = { kind: 'table', lines: [text] };
      i += 2;
      for (; i < lines.length && lines[i]?.text.includes('|'); i++) table.lines.push(lines[i]?.text ?? '');
      i--;
      blocks.push(table);
      continue;
    }
    // Block-level HTML interrupts a paragraph, as in CommonMark; its tags are stripped later.
    if (HTML_BLOCK_START.test(text)) close();
    const item = LIST_ITEM.exec(text);
    // An ordered list may only interrupt a paragraph when it starts at 1, as in CommonMark,
    // so a wrapped line beginning "2019. " stays prose.
    if (item && (current?.kind !== 'paragraph' || item[1] === undefined || item[1] === '1')) {
      if (current?.kind !== 'list') {
        close();
        current = { kind: 'list', lines: [] };
      }
      current.lines.push((item[2] ?? '').replace(TASK_BOX, ''));
      continue;
    }
    if (current?.kind === 'list' || current?.kind === 'paragraph') {
      appendContinuation(current, text);
      continue;
    }
    close();
    current = { kind: 'paragraph', lines: [text] };
  }
  close();
  return blocks;
}

/*
 * The heading and table-delimiter tests are written without regular expressions that end in
 * `[ \t]*$` after another run of white space: those backtrack quadratically on a long line of spaces
 * that ends in something else (80 KB of it took 41 s, issue 15). trim() is linear.
 */

/** The text of an ATX heading line ("## Title ##" → "Title"), or undefined when the line is not one. */
function atxHeading(line: string): string | undefined {
  const opener = ATX_OPENER.exec(line);
  if (!opener) return undefined;
  // A closing run of #s counts only after white space (or as the whole content), as in CommonMark.
  return line.slice(opener[0].length).trim().replace(/(?:^|[ \t])#+$/, '').trim();
}

/** A table's delimiter row: cells of dashes with optional alignment colons ("| :--- | ---: |"). */
function isTableDelimiter(line: string): boolean {
  const row = line.trim();
  const inner = row.slice(row.startsWith('|') ? 1 : 0, row.length > 1 && row.endsWith('|') ? -1 : undefined);
  return inner.split('|').every((cell) => /^:?-+:?$/.test(cell.trim()));
}

function unquote(line: string): QuotedLine {
  let depth = 0;
  let text = line;
  for (let match = /^ {0,3}> ?/.exec(text); match; match = /^ {0,3}> ?/.exec(text)) {
    depth++;
    text = text.slice(match[0].length);
  }
  return { depth, text };
}

/** Index of the closing fence (or the last line when the fence is never closed). */
function endOfFence(lines: QuotedLine[], start: number, opener: string): number {
  const closer = new RegExp(`^ {0,3}${opener[0] === '`' ? '`' : '~'}{${opener.length},}[ \\t]*$`);
  for (let i = start + 1; i < lines.length; i++) {
    if (closer.test(lines[i]?.text ?? '')) return i;
  }
  return lines.length - 1;
}

/** A soft-wrapped line joins the paragraph, or the last list item when a list is open. */
function appendContinuation(block: Block, text: string): void {
  if (block.kind === 'list') {
    const last = block.lines.length - 1;
    block.lines[last] = `${block.lines[last] ?? ''} ${text.trim()}`;
  } else {
    block.lines.push(text);
  }
}

function renderBlock(block: Block, references: Set<string>): string {
  const inline = (text: string): string => renderInline(text, references);
  switch (block.kind) {
    case 'heading':
    case 'paragraph':
      // A trailing backslash is a hard line break; for prose a space is enough.
      return inline(block.lines.map((line) => line.replace(/\\$/, '')).join(' '));
    case 'list':
      return block.lines.map(inline).filter(Boolean).join('\n');
    case 'table':
      return block.lines.map((row) => tableCells(row).map(inline).filter(Boolean).join(' ')).filter(Boolean).join('\n');
  }
}

function tableCells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/);
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  copy: '©',
};

/** Characters that start any inline markup renderInline acts on; text without them is only spaced. */
const INLINE_MARKUP = /[\\`*_[\]<>&~\0]/;

function renderInline(source: string, references: Set<string>): string {
  // Most table cells, list items and headings hold no markup; skipping the passes keeps a 1.9 MB
  // table of tiny cells near the cost of prose.
  if (!INLINE_MARKUP.test(source)) return source.replace(/\s+/g, ' ').trim();
  // Code and escaped characters are set aside so emphasis and link rules cannot touch them.
  const literals: string[] = [];
  const protect = (literal: string): string => `\0${literals.push(literal) - 1}\0`;

  let text = source.replace(/\\`/g, () => protect('`'));
  text = replaceCodeSpans(text, (code) => protect(code.trim()));
  text = text.replace(/\\([!-/:-@[-`{-~])/g, (_, char: string) => protect(char));
  text = text.replace(/<((?:https?|mailto):[^\s<>]+|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>/gi, (_, link: string) => protect(link));
  text = stripTags(text);
  text = stripImagesAndLinks(text, references);
  text = stripEmphasis(text);
  text = decodeEntities(text);
  // A code span can hold an escaped backtick set aside before it ("`\``"), so a literal may itself hold an
  // earlier literal's placeholder: each is restored in full (an index only ever points back, so it ends).
  const restore = (part: string): string => part.replace(/\0(\d+)\0/g, (_, index: string) => restore(literals[Number(index)] ?? ''));
  return restore(text).replace(/\s+/g, ' ').trim();
}

/**
 * Replaces each code span (a run of backticks, then text, then a run of exactly as many) with
 * `replace(code)`, as CommonMark pairs them. One pass over the runs: for each length, a pointer to
 * the next run of that length only moves forward. A regular expression retried every later run from
 * every unmatched opener, so 120 KB of runs of 1, 2, 3… backticks took 10 s (issue 15).
 */
export function replaceCodeSpans(text: string, replace: (code: string) => string): string {
  const runs: Array<{ start: number; length: number }> = [];
  for (const match of text.matchAll(/`+/g)) runs.push({ start: match.index, length: match[0].length });
  const byLength = new Map<number, number[]>();
  runs.forEach((run, index) => {
    const same = byLength.get(run.length);
    if (same) same.push(index);
    else byLength.set(run.length, [index]);
  });
  const nextOfLength = new Map<number, number>();
  const parts: string[] = [];
  let copied = 0;
  for (let i = 0; i < runs.length; i++) {
    const opener = runs[i] as { start: number; length: number };
    const same = byLength.get(opener.length) ?? [];
    let next = nextOfLength.get(opener.length) ?? 0;
    while (next < same.length && (same[next] ?? Infinity) <= i) next++;
    nextOfLength.set(opener.length, next);
    const closerIndex = same[next];
    if (closerIndex === undefined) continue; // No closer of this length later on: the run is text.
    const closer = runs[closerIndex] as { start: number; length: number };
    parts.push(text.slice(copied, opener.start), replace(text.slice(opener.start + opener.length, closer.start)));
    copied = closer.start + closer.length;
    i = closerIndex;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

function stripTags(text: string): string {
  return text.replace(/<br\s*\/?>/gi, ' ').replace(/<\/?[A-Za-z][\w-]*(?:\s[^<>]*)?\/?>/g, '');
}

// Nested brackets and parentheses exclude their own openers, so that each unmatched "[" or "("
// scans only to the next one and stray brackets cost linear time, not quadratic.
const BRACKETED = String.raw`\[((?:[^\[\]]|\[[^\[\]]*\])*)\]`;
const DESTINATION = String.raw`\((?:[^()]|\([^()]*\))*\)`;

const IMAGE = new RegExp(`!${BRACKETED}(?:${DESTINATION}|\\[[^\\[\\]]*\\])`, 'g');
const INLINE_LINK = new RegExp(`${BRACKETED}${DESTINATION}`, 'g');
const FULL_REFERENCE_LINK = new RegExp(`${BRACKETED}\\[[^\\[\\]]*\\]`, 'g');

function stripImagesAndLinks(text: string, references: Set<string>): string {
  return text
    .replace(IMAGE, '')
    .replace(/\[\^[^[\]]+\]/g, '')
    .replace(INLINE_LINK, '$1')
    .replace(FULL_REFERENCE_LINK, '$1')
    .replace(/\[([^[\]]+)\](?!\()/g, (whole, label: string) => (references.has(referenceKey(label)) ? label : whole));
}

/**
 * Removes the *, _ and ~~ runs that open or close emphasis. Runs inside a word (snake_case, 5*3)
 * or standing alone between spaces (2 * 3) are text. Deciding per run, without pairing them up,
 * keeps this linear on long paragraphs full of stray markers.
 */
function stripEmphasis(text: string): string {
  return text.replace(/\*+|_+|~~+/g, (run: string, offset: number) => {
    const before = text[offset - 1] ?? ' ';
    const after = text[offset + run.length] ?? ' ';
    const standsAlone = /\s/.test(before) && /\s/.test(after);
    const insideWord = /[\p{L}\p{N}]/u.test(before) && /[\p{L}\p{N}]/u.test(after);
    return standsAlone || insideWord ? run : '';
  });
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const codePoint = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}
