import type { RecordedAnswer } from './types';

export const CSV_COLUMNS = [
  'id', 'asked_at', 'channel_id', 'via', 'question', 'outcome', 'confident', 'decline_reason',
  'quoted', 'first_sentence', 'up', 'down',
] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. A cell a spreadsheet would
 * run as a formula (= + - @ tab or CR first: a member can ask anything) gets a leading apostrophe.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Recorded answers as CSV (UTF-8, LF line ends): a header, then one line per answer; `quoted` lists `source#sentence` joined by `; `. */
export function answersCsv(answers: readonly RecordedAnswer[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const a of answers) {
    const row: (string | number | null)[] = [
      a.id,
      a.askedAt.toISOString(),
      a.channelId,
      a.via,
      a.question,
      a.answered ? 'answered' : 'declined',
      a.confident === null ? null : a.confident ? 'yes' : 'no',
      a.declineReason,
      a.quotes.map((q) => `${q.source}#${q.sentence}`).join('; '),
      a.quotes[0]?.text ?? null,
      a.up,
      a.down,
    ];
    lines.push(row.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}
