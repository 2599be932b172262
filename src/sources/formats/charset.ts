/**
 * WHATWG windows-1252 for bytes 0x80–0x9F (the five undefined bytes map to themselves).
 * Node 20.18.3+ and 22.13+ decode windows-1252 as plain Latin-1, turning curly quotes and
 * the euro sign into C1 control characters (nodejs/node#60888), so those are remapped here.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Decodes bytes in the character set named by an HTTP or <meta> label, leniently (bad bytes
 * become U+FFFD). Throws RangeError for a label the Encoding standard does not know.
 */
export function decodeWithCharset(bytes: Uint8Array, label: string): string {
  const decoder = new TextDecoder(label);
  const text = decoder.decode(bytes);
  if (decoder.encoding !== 'windows-1252') return text;
  // A correct decoder never yields U+0080–U+009F except for the five undefined bytes, which
  // the table maps to themselves, so this is right on fixed and broken Node versions alike.
  return text.replace(/[\u0080-\u009f]/g, (char) => {
    const code = char.charCodeAt(0);
    return String.fromCharCode(WINDOWS_1252_HIGH[code - 0x80] ?? code);
  });
}
