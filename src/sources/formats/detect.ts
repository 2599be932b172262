import { SourceFormatError } from './errors';
import { overLimitReason } from './size';

export type SourceFormat = 'text' | 'markdown' | 'html';

const FORMAT_BY_EXTENSION: Readonly<Record<string, SourceFormat>> = {
  txt: 'text',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
};

/** The format a source file is read as, from its extension; undefined for files the bot does not load. */
export function formatOf(fileName: string): SourceFormat | undefined {
  const match = /[^/\\]\.([^./\\]+)$/.exec(fileName);
  if (!match?.[1]) return undefined;
  return FORMAT_BY_EXTENSION[match[1].toLowerCase()];
}

/** Files this far into control characters are data, not prose; real text has almost none. */
const MAX_CONTROL_CHAR_RATIO = 0.05;
/** Enough to judge a file without scanning all of a large one. */
const SNIFF_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns the raw bytes of a source file into text with LF line ends, or throws a
 * SourceFormatError saying why the file cannot be used.
 */
export function decodeSourceBytes(bytes: Buffer, fileName: string, maxBytes: number): string {
  const fail = (reason: string): never => {
    throw new SourceFormatError(reason, fileName);
  };
  if (bytes.length === 0) fail('the file is empty');
  if (bytes.length > maxBytes) fail(overLimitReason(bytes.length, maxBytes));
  if (hasUtf16Bom(bytes)) fail('the file is UTF-16 text; save it as UTF-8');
  if (looksBinary(bytes)) fail('the file looks binary, not text');

  let text: string;
  try {
    // TextDecoder drops a leading UTF-8 BOM by default.
    text = utf8.decode(bytes);
  } catch {
    return fail('the file is not valid UTF-8 (perhaps Latin-1 or Windows-1252); save it as UTF-8');
  }
  text = text.replace(/\r\n?/g, '\n');
  if (text === '') fail('the file is empty');
  if (text.trim() === '') fail('the file has only whitespace');
  return text;
}

function hasUtf16Bom(bytes: Buffer): boolean {
  const [first, second] = bytes;
  return (first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff);
}

function looksBinary(bytes: Buffer): boolean {
  if (bytes.includes(0)) return true;
  const sample = bytes.subarray(0, SNIFF_BYTES);
  let controls = 0;
  for (const byte of sample) {
    if (isControlByte(byte)) controls++;
  }
  return controls / sample.length > MAX_CONTROL_CHAR_RATIO;
}

/** C0 controls and DEL, except the whitespace that text legitimately contains (tab, LF, FF, CR). */
function isControlByte(byte: number): boolean {
  if (byte === 0x09 || byte === 0x0a || byte === 0x0c || byte === 0x0d) return false;
  return byte < 0x20 || byte === 0x7f;
}
