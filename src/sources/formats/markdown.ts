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
const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^[ \t]*(?:[-*+]|(\d{1,9})[.)])[ \t]+(.*)$/;
const TASK_BOX = /^\[[ xX]\][ \t]+/;
const TABLE_DELIMITER = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
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

function removeHtmlNoise(markdown: string): string {
  return markdown
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
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
    const heading = ATX_HEADING.exec(text);
    if (heading) {
      close();
      blocks.push({ kind: 'heading', lines: [heading[1] ?? ''] });
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
    if (text.includes('|') && TABLE_DELIMITER.test(lines[i + 1]?.text ?? '') && lines[i + 1]?.text.includes('|')) {
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

function renderInline(source: string, references: Set<string>): string {
  // Code and escaped characters are set aside so emphasis and link rules cannot touch them.
  const literals: string[] = [];
  const protect = (literal: string): string => `\0${literals.push(literal) - 1}\0`;

  let text = source.replace(/\\`/g, () => protect('`'));
  text = text.replace(/(`+)(?!`)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_, _ticks: string, code: string) => protect(code.trim()));
  text = text.replace(/\\([!-/:-@[-`{-~])/g, (_, char: string) => protect(char));
  text = text.replace(/<((?:https?|mailto):[^\s<>]+|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>/gi, (_, link: string) => protect(link));
  text = stripTags(text);
  text = stripImagesAndLinks(text, references);
  text = stripEmphasis(text);
  text = decodeEntities(text);
  text = text.replace(/\0(\d+)\0/g, (_, index: string) => literals[Number(index)] ?? '');
  return text.replace(/\s+/g, ' ').trim();
}

function stripTags(text: string): string {
  return text.replace(/<br\s*\/?>/gi, ' ').replace(/<\/?[A-Za-z][\w-]*(?:\s[^<>]*)?\/?>/g, '');
}

// Nested brackets and parentheses exclude their own openers, so that each unmatched "[" or "("
// scans only to the next one and stray brackets cost linear time, not quadratic.
const BRACKETED = String.raw`\[((?:[^\[\]]|\[[^\[\]]*\])*)\]`;
const DESTINATION = String.raw`\((?:[^()]|\([^()]*\))*\)`;

function stripImagesAndLinks(text: string, references: Set<string>): string {
  return text
    .replace(new RegExp(`!${BRACKETED}(?:${DESTINATION}|\\[[^\\[\\]]*\\])`, 'g'), '')
    .replace(/\[\^[^[\]]+\]/g, '')
    .replace(new RegExp(`${BRACKETED}${DESTINATION}`, 'g'), '$1')
    .replace(new RegExp(`${BRACKETED}\\[[^\\[\\]]*\\]`, 'g'), '$1')
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
