/**
 * Caps how deeply a page's elements nest before the DOM is built. htmlparser2 (linkedom's parser)
 * keeps its open elements in an array it grows with unshift, so each tag costs time in proportion to
 * the depth: 100k nested <div> took 12 s and more (issue 15). No real article nests more than a few
 * dozen deep; past MAX_DOM_DEPTH an element's tags are dropped and its text kept, which leaves every
 * ordinary page exactly as it was.
 */
import type { TokenizerCallbacks } from 'htmlparser2';
import { htmlparser2Library } from './html-libraries';

export const MAX_DOM_DEPTH = 400;

/** htmlparser2's own rules (Parser.js): which open tag closes which open elements, and the void elements. */
const P = ['p'];
const FORM_TAGS = ['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'];
const OPEN_IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ['rt', new Set(['rt', 'rp'])],
  ['rp', new Set(['rt', 'rp'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((tag): [string, Set<string>] => [tag, new Set(FORM_TAGS)]),
  ...[
    ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl'],
    ...['fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul'],
  ].map((tag): [string, Set<string>] => [tag, new Set(P)]),
]);
const VOID_ELEMENTS = new Set([
  ...['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex'],
  ...['keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr'],
]);
const FOREIGN = new Set(['svg', 'math']);
/** How far down the dropped elements a closing tag is looked for. */
const CLOSE_SEARCH = 64;

/** `html` with the tags of elements nested deeper than `maxDepth` removed; `html` itself when none is. */
export function capNesting(html: string, maxDepth = MAX_DOM_DEPTH): string {
  const open: string[] = [];
  const dropped: string[] = [];
  const cuts: Array<[number, number]> = [];
  let foreign = 0;
  let tag: { name: string; start: number } | undefined;

  const pop = (): void => {
    if (FOREIGN.has(open.pop() ?? '')) foreign--;
  };
  const openTag = (end: number, selfClosing: boolean): void => {
    if (tag === undefined) return;
    const { name, start } = tag;
    tag = undefined;
    const isVoid = VOID_ELEMENTS.has(name) || (selfClosing && foreign > 0);
    if (dropped.length === 0) {
      const closes = OPEN_IMPLIES_CLOSE.get(name);
      while (closes && open.length > 0 && closes.has(open[open.length - 1] ?? '')) pop();
    }
    if (isVoid) return;
    if (dropped.length > 0 || open.length >= maxDepth) {
      dropped.push(name);
      cuts.push([start, end + 1]);
      return;
    }
    open.push(name);
    if (FOREIGN.has(name)) foreign++;
  };
  const closeTag = (name: string, start: number, end: number): void => {
    if (VOID_ELEMENTS.has(name)) return;
    const inDropped = dropped.lastIndexOf(name);
    if (inDropped >= 0 && inDropped >= dropped.length - CLOSE_SEARCH) {
      dropped.length = inDropped;
      cuts.push([start, end + 1]);
      return;
    }
    const inOpen = open.lastIndexOf(name);
    if (inOpen < 0) return;
    dropped.length = 0;
    while (open.length > inOpen) pop();
  };

  const callbacks: TokenizerCallbacks = {
    onopentagname: (start, end) => {
      tag = { name: html.slice(start, end).toLowerCase(), start: start - 1 };
    },
    onopentagend: (end) => openTag(end, false),
    onselfclosingtag: (end) => openTag(end, true),
    onclosetag: (start, end) => closeTag(html.slice(start, end).toLowerCase(), start - 2, end),
    onattribdata: () => undefined,
    onattribentity: () => undefined,
    onattribend: () => undefined,
    onattribname: () => undefined,
    oncdata: () => undefined,
    oncomment: () => undefined,
    ondeclaration: () => undefined,
    onend: () => undefined,
    onprocessinginstruction: () => undefined,
    ontext: () => undefined,
    ontextentity: () => undefined,
  };
  const { Tokenizer } = htmlparser2Library();
  const tokenizer = new Tokenizer({ xmlMode: false, decodeEntities: false }, callbacks);
  tokenizer.write(html);
  tokenizer.end();
  if (cuts.length === 0) return html;

  const parts: string[] = [];
  let copied = 0;
  for (const [start, end] of cuts) {
    parts.push(html.slice(copied, start));
    copied = end;
  }
  parts.push(html.slice(copied));
  return parts.join('');
}
