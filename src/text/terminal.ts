/**
 * Text for a terminal: an article may carry escape sequences (ESC[2J clears the screen, ESC]0;…BEL sets
 * the window title) and other control characters that a terminal would act on. Whole ANSI sequences
 * are removed, then every control character but line feed and tab (C0, DEL, C1), and the bidirectional
 * overrides that can make printed text read differently from what it is (issue 15).
 */
// CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), and any other two-character ESC sequence.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

export function forTerminal(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(CONTROL, '');
}
