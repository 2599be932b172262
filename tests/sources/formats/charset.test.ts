import { describe, expect, it } from 'vitest';
import { decodeWithCharset } from '../../../src/sources/formats/charset';

describe('decodeWithCharset', () => {
  it('decodes UTF-8, replacing a bad byte rather than failing', () => {
    expect(decodeWithCharset(Buffer.from('Weiß'), 'utf-8')).toBe('Weiß');
    expect(decodeWithCharset(Uint8Array.of(0x61, 0xff, 0x62), 'utf-8')).toBe('a\ufffdb');
  });

  it.each(['windows-1252', 'iso-8859-1', 'latin1', 'us-ascii'])('decodes %s with the windows-1252 punctuation', (label) => {
    // “Café” – €5 … ’  in windows-1252
    const bytes = Uint8Array.of(0x93, 0x43, 0x61, 0x66, 0xe9, 0x94, 0x20, 0x96, 0x20, 0x80, 0x35, 0x20, 0x85, 0x20, 0x92);
    expect(decodeWithCharset(bytes, label)).toBe('“Café” – €5 … ’');
  });

  it('maps every byte from 0x80 to 0x9F as the Encoding standard says', () => {
    const high = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
    expect(decodeWithCharset(high, 'windows-1252')).toBe('€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ');
  });

  it('leaves other single-byte character sets to the platform', () => {
    expect(decodeWithCharset(Uint8Array.of(0xa4), 'iso-8859-15')).toBe('€');
  });

  it('throws RangeError for an unknown label', () => {
    expect(() => decodeWithCharset(Uint8Array.of(0x61), 'x-made-up')).toThrow(RangeError);
  });
});
