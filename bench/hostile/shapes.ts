/**
 * Hostile article shapes (issue 15): inputs whose size is ordinary but whose shape once made reading
 * them super-linear. Each generator builds about `bytes` of its shape, deterministically, so the
 * benchmark and the tests read the same files. Ordinary prose of the same size is the yardstick.
 */
import type { SourceFormat } from '../../src/sources/formats/detect';

export interface HostileShape {
  name: string;
  /** File extension, which decides the format it is read as. */
  extension: 'txt' | 'md' | 'html';
  format: SourceFormat;
  /** About `bytes` of the shape (never more than `bytes`). */
  build(bytes: number): string;
}

const SENTENCE = 'The council voted on Tuesday to repair the old harbour wall before the winter storms arrive. ';

/** Repeats pieces from `piece(i)` until the next one would pass `bytes`. */
function fill(bytes: number, piece: (i: number) => string, prefix = '', suffix = ''): string {
  const parts: string[] = [prefix];
  let size = prefix.length + suffix.length;
  for (let i = 0; ; i++) {
    const next = piece(i);
    if (size + next.length > bytes) break;
    parts.push(next);
    size += next.length;
  }
  parts.push(suffix);
  return parts.join('');
}

/** `<open>` nested `depth` deep around one paragraph, as large as `bytes` allows. */
function nested(bytes: number, open: string, close: string): string {
  const inner = `<p>${SENTENCE.trim()}</p>`;
  const depth = Math.max(1, Math.floor((bytes - inner.length) / (open.length + close.length)));
  return `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
}

/** A 68-character line with no sentence end, different each time so nothing dedupes it. */
function wrappedLine(i: number): string {
  return `harbour wall repair plan number ${String(i).padStart(8, '0')} goes on and on and o`.slice(0, 68).padEnd(68, 'o');
}

export const HOSTILE_SHAPES: readonly HostileShape[] = [
  { name: 'prose (txt)', extension: 'txt', format: 'text', build: (bytes) => fill(bytes, (i) => (i % 5 === 4 ? `${SENTENCE}\n\n` : SENTENCE)) },
  { name: 'prose (md)', extension: 'md', format: 'markdown', build: (bytes) => fill(bytes, (i) => (i % 5 === 4 ? `${SENTENCE}\n\n` : SENTENCE)) },
  {
    name: 'prose (html)',
    extension: 'html',
    format: 'html',
    build: (bytes) => fill(bytes, () => `<p>${SENTENCE.repeat(4)}</p>\n`, '<html><body><article>', '</article></body></html>'),
  },
  // Markdown: runs of 1, 2, 3… backticks, each followed by " x ": every run is a code span opener
  // without its closer.
  { name: 'md backtick runs', extension: 'md', format: 'markdown', build: (bytes) => fill(bytes, (i) => `${'`'.repeat(i + 1)} x `) },
  { name: 'md single backticks', extension: 'md', format: 'markdown', build: (bytes) => fill(bytes, () => '` x ') },
  { name: 'md list', extension: 'md', format: 'markdown', build: (bytes) => fill(bytes, (i) => `- harbour wall item ${i} without an end\n`) },
  { name: 'md ordered list', extension: 'md', format: 'markdown', build: (bytes) => fill(bytes, (i) => `${(i % 900) + 1}. harbour wall item ${i}\n`) },
  {
    name: 'md table',
    extension: 'md',
    format: 'markdown',
    build: (bytes) => fill(bytes, (i) => `| harbour ${i} | wall | repair |\n`, '| a | b | c |\n| --- | --- | --- |\n'),
  },
  { name: 'md brackets', extension: 'md', format: 'markdown', build: (bytes) => fill(bytes, (i) => (i % 2 ? '[x ' : '](y ')) },
  { name: 'md emphasis', extension: 'md', format: 'markdown', build: (bytes) => fill(bytes, (i) => (i % 2 ? '*a ' : '_b ')) },
  { name: 'md angle brackets', extension: 'md', format: 'markdown', build: (bytes) => fill(bytes, () => '<a x ') },
  { name: 'md heading of spaces', extension: 'md', format: 'markdown', build: (bytes) => fill(bytes, () => ' ', '# a', 'x') },
  { name: 'md table delimiter of spaces', extension: 'md', format: 'markdown', build: (bytes) => fill(bytes, () => ' ', '| a |\n| --- ', 'x') },
  { name: 'md unclosed comments', extension: 'md', format: 'markdown', build: (bytes) => fill(bytes, () => '<!-- x ') },
  { name: 'md unclosed scripts', extension: 'md', format: 'markdown', build: (bytes) => fill(bytes, () => '<script> x ') },
  { name: 'md quote nesting', extension: 'md', format: 'markdown', build: (bytes) => fill(bytes, (i) => `${'> '.repeat(1 + (i % 50))}harbour wall\n`) },
  { name: 'md one paragraph', extension: 'md', format: 'markdown', build: (bytes) => fill(bytes, (i) => `harbour wall line ${i}\n`) },
  { name: 'txt wrapped lines', extension: 'txt', format: 'text', build: (bytes) => fill(bytes, (i) => `${wrappedLine(i)}\n`) },
  { name: 'txt one long line', extension: 'txt', format: 'text', build: (bytes) => fill(bytes, (i) => `harbour wall ${i} `) },
  { name: 'txt dots', extension: 'txt', format: 'text', build: (bytes) => fill(bytes, () => 'U.S. ') },
  { name: 'html nested div', extension: 'html', format: 'html', build: (bytes) => nested(bytes, '<div>', '</div>') },
  { name: 'html nested div.ad', extension: 'html', format: 'html', build: (bytes) => nested(bytes, '<div class="ad">', '</div>') },
  { name: 'html nested span', extension: 'html', format: 'html', build: (bytes) => nested(bytes, '<span>', '</span>') },
  { name: 'html unclosed p', extension: 'html', format: 'html', build: (bytes) => fill(bytes, (i) => `<p>harbour wall ${i} `) },
  { name: 'html many div.ad', extension: 'html', format: 'html', build: (bytes) => fill(bytes, (i) => `<div class="ad"><p>harbour ${i}</p></div>`) },
  { name: 'html many p', extension: 'html', format: 'html', build: (bytes) => fill(bytes, (i) => `<p>harbour wall ${i}.</p>`) },
];

export function shapeNamed(name: string): HostileShape {
  const shape = HOSTILE_SHAPES.find((candidate) => candidate.name === name);
  if (shape === undefined) throw new Error(`no hostile shape named "${name}"`);
  return shape;
}

/** A file name for a shape: "md backtick runs" → "md-backtick-runs.md". */
export function shapeFileName(shape: HostileShape): string {
  return `${shape.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}.${shape.extension}`;
}
