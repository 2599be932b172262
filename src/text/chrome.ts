/**
 * Page chrome: navigation, promotion and sharing lines that scrapers leave in article text.
 * They are never indexed, so they can never be an answer or part of a summary.
 */
const CHROME_LINES: RegExp[] = [
  /^(more|related|recommended|latest|trending|popular|top) (from|in|on|to|stories|articles|news|reads?|videos?|coverage|content|links?)\b/i,
  /^more from this (section|author|site|series)$/i,
  /^(most|also) (read|viewed|popular|shared|watched)\b/i,
  /^(read|see|watch|listen|show|load) (more|also|next|this|full story|the full|all|comments?)\b/i,
  /^(continue|keep) reading\b/i,
  /^(advertisement|advertising|sponsored( content)?|promoted( content)?|ad|ads|story continues below( advertisement)?)$/i,
  /^(share|tweet|email|print|save|copy link|pin|like)( (this|on|via|the|to)( \w+)*)?$/i,
  /^(subscribe|sign up|sign in|log in|register|join)\b.{0,60}$/i,
  /^follow (us|me|@)\b/i,
  /^(click|tap) here\b/i,
  /^(you (may|might) also like|don't miss|must read|editor'?s picks?|further reading)\b/i,
  /^(skip to|jump to|back to top|go to)\b/i,
  /^(comments?|\d+ comments?|leave a comment|view comments)$/i,
  /^(image|photo|picture|video) (copyright|caption|credit|source)\b/i,
  /^(getty images|reuters|ap photo|afp)$/i,
  /^(cookie|cookies)\b.{0,80}$/i,
  /^all rights reserved\b/i,
  /^(©|copyright)\s?\d{4}\b/i,
];

/** Lines made only of share targets: "Facebook Twitter WhatsApp Email". */
const SHARE_TARGETS = /^((facebook|twitter|x|whatsapp|email|linkedin|reddit|pinterest|telegram|messenger|print|copy link|share)[\s|·•,/]*)+$/i;

/** Separators that trail chrome labels ("Read more »", "Share |"). */
const TRAILING_SEPARATOR = /[\s:>»›|•·-]/;

/**
 * `line` without its trailing separators. A loop, not `/[…]+$/`: that regex retries from every
 * position of a run and took seconds on a 100 KB run of dashes (tests/text/properties.test.ts).
 */
function withoutTrailingSeparators(line: string): string {
  let end = line.length;
  while (end > 0 && TRAILING_SEPARATOR.test(line[end - 1] ?? '')) end--;
  return line.slice(0, end);
}

export function isChrome(sentence: string): boolean {
  const line = withoutTrailingSeparators(sentence.trim());
  if (line === '') return true;
  if (line.length > 120) return false;
  // A real sentence that happens to open like chrome ("Read the full statement, the minister urged.")
  // is longer and ends like a sentence; chrome lines are short labels.
  const reads = line.split(/\s+/).length > 6 && /[.!?]["”']?$/.test(line);
  if (reads) return false;
  return SHARE_TARGETS.test(line) || CHROME_LINES.some((pattern) => pattern.test(line));
}
