/**
 * Hostile text for the property tests of the text pipeline, the engine and the loader: any Unicode
 * (lone surrogates included), and hand-made mixes of real news words with the inputs that break bots.
 */
import fc from 'fast-check';

/** Pieces that have broken text pipelines before: controls, invisible and bidi marks, markup, mentions. */
export const NASTY_PIECES = [
  '', ' ', '  ', '\t', '\n', '\n\n', '\r\n', '\r', '\r\n\r\n', '\v', '\f', '\u00a0', '\u2028', '\u2029', '\u3000',
  '\u0000', '\u0001', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f',
  '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff', '\ufffd', '\ufffe', '\uffff', '\ud800', '\udfff', '\udc00\ud800',
  '\u0301', '\u0301\u0301\u0301', 'e\u0301', 'ﬁ', 'Ⅻ', 'İ', 'ß', 'ΣΑΣ', '🎉', '👍🏽', '👨‍👩‍👧‍👦', '🇺🇦', '\u{1f600}\u{1f600}',
  'مرحبا بالعالم.', 'قال الوزير إن الخطة ستبدأ.', 'שלום עולם.', '中文新闻报道。', '日本語の文章です。', 'Привет, мир!',
  '@everyone', '@here', '<@123456789012345678>', '<@!123>', '<@&123456789012345678>', '<#123456789012345678>',
  '<:emoji:123>', '<t:1700000000:R>', '```', '```js\nconsole.log("x")\n```', '`code`', '**bold**', '__under__',
  '~~strike~~', '||spoiler||', '> quote', '>>> block', '# Heading', '- item', '* item', '1. item', '[link](https://x.y)',
  'https://example.com/path?q=1&r=2#frag', 'http://127.0.0.1:8080/', 'www.example.com', 'mailto:a@b.c', 'a@b.co',
  '...', '…', '!?', '?!', '."', '.”', '," she said.', '"', "'", '“', '”', '‘', '’', '(', ')', '[', ']', '«', '»',
  'Mr.', 'Dr.', 'U.S.', 'e.g.', 'Jan.', 'No.', 'J.', '3.14', '$1.2', '2,000', '1e9', '-0', 'NaN', 'Infinity',
  "n't", "'s", "don't", "O'Brien's", "won't", 'constructor', '__proto__', 'toString', 'hasOwnProperty',
  '---', '- - -', '—', '–', '•', '|', '·', '»»', '>>', '::', 'Advertisement', 'Read more', 'Share', 'Subscribe',
  '© 2024', 'Facebook Twitter', 'Skip to main content',
];

/** Ordinary news words, so that sentences form, questions match and chrome rules see real lines. */
export const NEWS_WORDS = [
  'The', 'the', 'council', 'approved', 'a', 'new', 'bridge', 'on', 'Monday', 'She', 'she', 'said', 'It', 'it',
  'flood', 'river', 'mayor', 'Smith', 'vote', 'election', 'vaccine', 'trial', 'million', 'pounds', '2018', '12',
  'people', 'were', 'killed', 'in', 'Singapore', 'June', 'police', 'report', 'minister', 'plan', 'costs', 'They',
  'water', 'rose', 'homes', 'school', 'closed', 'when', 'where', 'who', 'what', 'how', 'many', 'why', 'not', 'never',
];

const PUNCTUATION = ['.', '. ', '! ', '? ', ', ', '; ', ': ', '… ', '." ', '.” ', '\n', '\n\n', ' '];

const nasty = fc.constantFrom(...NASTY_PIECES);
const word = fc.constantFrom(...NEWS_WORDS);
const punctuation = fc.constantFrom(...PUNCTUATION);

/** Any code point sequence, surrogate pairs whole (fast-check's `binary` unit: the full 0..10FFFF range). */
export const anyCodePoints = (maxLength = 200) => fc.string({ unit: 'binary', maxLength });

/** Any UTF-16 code unit sequence, lone surrogates included: what a JavaScript string can hold. */
export const anyCodeUnits = (maxLength = 200) =>
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)), maxLength });

/** Printable graphemes (emoji, combining sequences, every script). */
export const anyGraphemes = (maxLength = 100) => fc.string({ unit: 'grapheme', maxLength });

/** Real words and punctuation with hostile pieces mixed in: text that splits into sentences and matches questions. */
export const newsLike = (maxPieces = 60) =>
  fc
    .array(fc.oneof({ arbitrary: word, weight: 6 }, { arbitrary: punctuation, weight: 3 }, { arbitrary: nasty, weight: 2 }), { maxLength: maxPieces })
    .chain((pieces) => fc.array(fc.constantFrom(' ', '', '\n'), { minLength: pieces.length, maxLength: pieces.length }).map((gaps) => pieces.map((piece, i) => piece + (gaps[i] ?? ' ')).join('')));

const OPENERS = ['The', 'It', 'She', 'They', 'This', 'He', 'But', '"', '“', 'In 2018,', 'Mr. Smith'];
const ENDINGS = ['.', '.', '.', '!', '?', '," she said.', '," police said.', '”', '." ', '...'];

/**
 * Article-shaped text: sentences that open like news (pronouns and quotes, so sentences lean on each
 * other), run 3 to 14 words with hostile pieces among them, and end like sentences; in paragraphs.
 */
export const newsArticle = (maxSentences = 12) =>
  fc
    .array(
      fc.tuple(
        fc.constantFrom(...OPENERS),
        fc.array(fc.oneof({ arbitrary: word, weight: 8 }, { arbitrary: nasty, weight: 1 }), { minLength: 3, maxLength: 14 }),
        fc.constantFrom(...ENDINGS),
        fc.constantFrom(' ', ' ', '\n', '\n\n', '\r\n\r\n'),
      ),
      { maxLength: maxSentences },
    )
    .map((sentences) => sentences.map(([opener, body, ending, gap]) => `${opener} ${body.join(' ')}${ending}${gap}`).join(''));

/** Any of the above: the text a source file or a question may hold. */
export const anyText = (maxLength = 200) =>
  fc.oneof(
    { arbitrary: newsLike(), weight: 3 },
    { arbitrary: newsArticle(), weight: 2 },
    { arbitrary: anyCodePoints(maxLength), weight: 2 },
    { arbitrary: anyCodeUnits(maxLength), weight: 2 },
    { arbitrary: anyGraphemes(maxLength), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary-ascii', maxLength }), weight: 1 },
  );

/** About 100 KB of hostile text, built deterministically, for the explicit large cases. */
export function hundredKilobytes(pattern: string): string {
  // Cut on a code point boundary so that well-formed patterns stay well-formed.
  return pattern.repeat(Math.ceil(100_000 / Math.max(1, pattern.length))).slice(0, 100_000).replace(/[\ud800-\udbff]$/, '');
}

/** A lone surrogate anywhere in the string (code points view): what well-formed output must never contain. */
export function hasLoneSurrogate(text: string): boolean {
  return /\p{Cs}/u.test(text);
}

/** 100 KB inputs, each aimed at one part of the pipeline: run as plain examples, not generated. */
export const LARGE_INPUTS: Readonly<Record<string, string>> = {
  'one 100 KB sentence without a stop': hundredKilobytes('council bridge flood '),
  'sentences of one word': hundredKilobytes('A. '),
  'dots without spaces': hundredKilobytes('x.'),
  'a run of dashes (chrome trimming)': `${hundredKilobytes('-')}x`,
  'dashes and spaces': `${hundredKilobytes('- ')}x`,
  'blank lines': hundredKilobytes('\n \n'),
  'emoji': hundredKilobytes('🎉'),
  'zero-width joiners': hundredKilobytes('a\u200d'),
  'NULs': hundredKilobytes('\u0000'),
  'lone surrogates': hundredKilobytes('\ud800'),
  'mentions and fences': hundredKilobytes('@everyone <@&123> ```x``` '),
  'abbreviations': hundredKilobytes('Mr. U.S. e.g. '),
  'quotes': hundredKilobytes('"a." '),
  'a wrapped line per word': hundredKilobytes('word\n'),
  'distinct words': Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}`).join(' '),
  'every nasty piece': hundredKilobytes(NASTY_PIECES.join(' ')),
};
