import { backgroundFrequencies } from '../engine/background';
import { STOP_WORDS, stem, words } from '../text/tokens';
import type { QuotedSentence, RecordedAnswer } from './types';

/** How the report groups and cuts; the defaults are what /insights shows. */
export interface ReportOptions {
  /** Days back from `now` (default 7). */
  days?: number;
  now?: Date;
  /** Question groups listed (default 10). */
  groups?: number;
  /** Answers with the most 👎 listed (default 5). */
  downvoted?: number;
  /** Articles listed (default 10). */
  articles?: number;
}

export const REPORT_DEFAULTS = { days: 7, groups: 10, downvoted: 5, articles: 10 } as const;

/**
 * Two questions are about the same thing when the topical words they share carry at least this share of
 * the shorter one's weight and this share of the longer one's (words weighted by how rare they are in
 * general English): "when is the festival" and "festival date?" share "festival", the rare word of both;
 * "festival date?" and "election date?" share only the common "date", and stay apart.
 */
const GROUP_SHARE_OF_SHORTER = 0.6;
const GROUP_SHARE_OF_LONGER = 0.4;

export interface QuestionGroup {
  /** The topical words the group shares, rarest first, as members wrote them ("festival"). */
  words: string[];
  /** Questions in the group: declined or answered without confidence. */
  count: number;
  declined: number;
  unconfident: number;
  /** The distinct phrasings, most asked first, with how often. */
  phrasings: { question: string; count: number }[];
  lastAsked: Date;
}

export interface DownvotedAnswer {
  id: number;
  question: string;
  askedAt: Date;
  /** The sentence shown first; undefined for a declined question. */
  quote?: QuotedSentence;
  up: number;
  down: number;
}

export interface ArticleStats {
  source: string;
  title: string;
  /** Answers whose first sentence came from this article. */
  answered: number;
  up: number;
  down: number;
}

export interface InsightsReport {
  guildId: string;
  days: number;
  from: Date;
  to: Date;
  totals: { questions: number; answered: number; declined: number; unconfident: number; up: number; down: number };
  /** The questions the articles miss, most asked first. */
  missed: QuestionGroup[];
  /** The answers with the most 👎. */
  downvoted: DownvotedAnswer[];
  /** Per article, most used first. */
  articles: ArticleStats[];
}

/** A question the articles did not serve: declined, or answered while the engine said it was not confident. */
export function isMissed(answer: RecordedAnswer): boolean {
  return !answer.answered || answer.confident === false;
}

/** The report /insights and the CLI show, from one server's recorded answers. Pure. */
export function buildReport(guildId: string, answers: readonly RecordedAnswer[], options: ReportOptions = {}): InsightsReport {
  const days = options.days ?? REPORT_DEFAULTS.days;
  const to = options.now ?? new Date();
  const from = new Date(to.getTime() - days * 86_400_000);
  const inWindow = answers.filter((a) => a.guildId === guildId && a.askedAt >= from && a.askedAt <= to);
  const totals = { questions: inWindow.length, answered: 0, declined: 0, unconfident: 0, up: 0, down: 0 };
  for (const a of inWindow) {
    if (a.answered) totals.answered++;
    else totals.declined++;
    if (a.answered && a.confident === false) totals.unconfident++;
    totals.up += a.up;
    totals.down += a.down;
  }
  return {
    guildId,
    days,
    from,
    to,
    totals,
    missed: groupQuestions(inWindow.filter(isMissed)).slice(0, options.groups ?? REPORT_DEFAULTS.groups),
    downvoted: mostDownvoted(inWindow, options.downvoted ?? REPORT_DEFAULTS.downvoted),
    articles: articleStats(inWindow).slice(0, options.articles ?? REPORT_DEFAULTS.articles),
  };
}

interface Phrasing {
  /** Topical terms (stems) → the word as written. */
  terms: Map<string, string>;
  weight: number;
  answers: RecordedAnswer[];
}

interface Group {
  core: Phrasing;
  members: Phrasing[];
  size: number;
}

/** Groups questions that share their topical words; the most asked groups first. */
export function groupQuestions(answers: readonly RecordedAnswer[]): QuestionGroup[] {
  const idf = backgroundFrequencies().idf;
  const phrasings = new Map<string, Phrasing>();
  for (const answer of answers) {
    const terms = topicalTerms(answer.question);
    // Questions with no topical word ("what?") group only with the same text.
    const key = terms.size > 0 ? [...terms.keys()].sort().join(' ') : `\u0000${answer.question.trim().toLowerCase()}`;
    let phrasing = phrasings.get(key);
    if (phrasing === undefined) {
      let weight = 0;
      for (const term of terms.keys()) weight += idf(term);
      phrasings.set(key, (phrasing = { terms, weight, answers: [] }));
    }
    phrasing.answers.push(answer);
  }
  // The most asked phrasing of a topic seeds its group (on a tie the one with the fewest topical words, the
  // most general); a group's core never grows, so groups cannot chain from one topic into the next.
  const ordered = [...phrasings.entries()].sort(
    (a, b) => b[1].answers.length - a[1].answers.length || a[1].weight - b[1].weight || (a[0] < b[0] ? -1 : 1),
  );
  const groups: Group[] = [];
  for (const [, phrasing] of ordered) {
    const home = phrasing.terms.size === 0 ? undefined : closestGroup(groups, phrasing, idf);
    if (home) {
      home.members.push(phrasing);
      home.size += phrasing.answers.length;
    } else groups.push({ core: phrasing, members: [phrasing], size: phrasing.answers.length });
  }
  return groups
    .sort((a, b) => b.size - a.size)
    .map((g) => describeGroup(g, idf));
}

/** The group whose core shares most of the phrasing's topical weight, if any shares enough. */
function closestGroup(groups: readonly Group[], phrasing: Phrasing, idf: (term: string) => number): Group | undefined {
  let best: Group | undefined;
  let bestShare = 0;
  for (const group of groups) {
    const share = topicShare(group.core, phrasing, idf);
    if (share > bestShare) [best, bestShare] = [group, share];
  }
  return best;
}

/** The share of the longer question's weight the two share, or 0 when they are not about the same thing. */
function topicShare(core: Phrasing, other: Phrasing, idf: (term: string) => number): number {
  if (core.terms.size === 0) return 0;
  let shared = 0;
  for (const term of other.terms.keys()) if (core.terms.has(term)) shared += idf(term);
  const shorter = Math.min(core.weight, other.weight);
  const longer = Math.max(core.weight, other.weight);
  const same = shared > 0 && shared >= GROUP_SHARE_OF_SHORTER * shorter && shared >= GROUP_SHARE_OF_LONGER * longer;
  return same ? shared / longer : 0;
}

function describeGroup(group: Group, idf: (term: string) => number): QuestionGroup {
  const all = group.members.flatMap((m) => m.answers);
  // The words every member shares with the core, rarest first.
  const shared = [...group.core.terms.entries()].filter(([term]) => group.members.every((m) => m.terms.has(term)));
  const labelled = (shared.length > 0 ? shared : [...group.core.terms.entries()]).sort((a, b) => idf(b[0]) - idf(a[0]));
  // "When is the festival?" and "when is the festival" are one phrasing (the same words), shown as first asked.
  const counts = new Map<string, { question: string; count: number }>();
  for (const a of all) {
    const text = a.question.replace(/\s+/g, ' ').trim();
    const key = words(text).join(' ') || text;
    const seen = counts.get(key);
    if (seen) seen.count++;
    else counts.set(key, { question: text, count: 1 });
  }
  return {
    words: labelled.map(([, word]) => word).slice(0, 4),
    count: all.length,
    declined: all.filter((a) => !a.answered).length,
    unconfident: all.filter((a) => a.answered && a.confident === false).length,
    phrasings: [...counts.values()].sort((a, b) => b.count - a.count),
    lastAsked: new Date(Math.max(...all.map((a) => a.askedAt.getTime()))),
  };
}

/** The question's topical terms (the project's own stemmed terms, stop words out), each with the word as written. */
function topicalTerms(question: string): Map<string, string> {
  const terms = new Map<string, string>();
  for (const word of words(question)) {
    if (STOP_WORDS.has(word)) continue;
    const term = stem(word);
    if (!terms.has(term)) terms.set(term, word);
  }
  return terms;
}

function mostDownvoted(answers: readonly RecordedAnswer[], limit: number): DownvotedAnswer[] {
  return answers
    .filter((a) => a.down > 0)
    .sort((a, b) => b.down - a.down || b.down - b.up - (a.down - a.up) || b.askedAt.getTime() - a.askedAt.getTime())
    .slice(0, limit)
    .map((a) => {
      const item: DownvotedAnswer = { id: a.id, question: a.question, askedAt: a.askedAt, up: a.up, down: a.down };
      if (a.answered && a.quotes[0] !== undefined) item.quote = a.quotes[0];
      return item;
    });
}

function articleStats(answers: readonly RecordedAnswer[]): ArticleStats[] {
  const bySource = new Map<string, ArticleStats>();
  for (const a of answers) {
    const first = a.answered ? a.quotes[0] : undefined;
    if (first === undefined) continue;
    let stats = bySource.get(first.source);
    if (stats === undefined) bySource.set(first.source, (stats = { source: first.source, title: first.title, answered: 0, up: 0, down: 0 }));
    stats.title = first.title; // answers come oldest first: the latest title wins
    stats.answered++;
    stats.up += a.up;
    stats.down += a.down;
  }
  return [...bySource.values()].sort((a, b) => b.answered - a.answered || b.down - a.down || (a.source < b.source ? -1 : 1));
}
