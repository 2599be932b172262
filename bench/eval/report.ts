/**
 * Targets, pass/fail and the printed tables.
 */
import { SOURCE_LABELS, type SourceKey } from './data';
import { hashSeed, mulberry32, QUESTION_WORDS, type RougeScores } from './metrics';
import type { Miss, QaFigures, QaResult, QuestionRecord, SummaryFigures } from './run';

export interface TargetCheck {
  metric: string;
  value: number;
  /** The threshold, compared with the unrounded value. */
  threshold: number;
  op: '≥' | '≤';
  /** How value and threshold print: a share as a percentage, or a plain number (MRR). */
  unit: 'share' | 'number';
  target: string;
  pass: boolean;
}

const LEAD_RATIO_ROUGE1 = 1.03;

type Get = (qa: QaFigures) => number | undefined;
interface TargetSpec {
  metric: string;
  get: Get;
  op: '≥' | '≤';
  threshold: number;
  unit?: 'share' | 'number';
}

const top1: Get = (f) => f.project.perArticle.top1;
const top3: Get = (f) => f.project.perArticle.top3;
const mrr: Get = (f) => f.project.perArticle.mrr;
const falseDeclines: Get = (f) => f.project.falseDeclines;
const offTopic: Get = (f) => f.project.offTopicDeclined;
const allTop1: Get = (f) => (f.project.allArticles.n > 0 ? f.project.allArticles.top1 : undefined);
const allTop3: Get = (f) => (f.project.allArticles.n > 0 ? f.project.allArticles.top3 : undefined);
const confidentPrecision: Get = (f) => f.project.confidence?.precision;
const confidentCoverage: Get = (f) => f.project.confidence?.coverage;
const unanswerableConfident: Get = (f) => f.project.confidence?.unanswerableConfident;
const literatureMrr: Get = (f) => f.fullRanking?.project.mrr;

const t = (metric: string, get: Get, op: '≥' | '≤', threshold: number, unit: 'share' | 'number' = 'share'): TargetSpec => ({ metric, get, op, threshold, unit });

/** The general targets, for a set without its own (e.g. the default SQuAD / XQuAD copy in data/). */
const GENERAL_TARGETS: TargetSpec[] = [
  t('qa.perArticle.top1', top1, '≥', 0.75),
  t('qa.perArticle.top3', top3, '≥', 0.9),
  t('qa.perArticle.mrr', mrr, '≥', 0.82, 'number'),
  t('qa.perArticle.falseDeclines', falseDeclines, '≤', 0.03),
  t('qa.perArticle.offTopicDeclined', offTopic, '≥', 0.97),
  t('qa.allArticles.top1', allTop1, '≥', 0.72),
  t('qa.allArticles.top3', allTop3, '≥', 0.87),
];

/** Issue 10's targets, by set (the file's name without `.json`). */
const SET_TARGETS: Record<string, TargetSpec[]> = {
  'qa-dev': [
    t('qa.perArticle.top1', top1, '≥', 0.78),
    t('qa.perArticle.top3', top3, '≥', 0.92),
    t('qa.perArticle.falseDeclines', falseDeclines, '≤', 0.03),
    t('qa.perArticle.offTopicDeclined', offTopic, '≥', 0.97),
    t('qa.allArticles.top1', allTop1, '≥', 0.76),
    t('qa.confident.precision', confidentPrecision, '≥', 0.85),
    t('qa.confident.coverage', confidentCoverage, '≥', 0.75),
    t('qa.confident.unanswerable', unanswerableConfident, '≤', 0.5),
  ],
  'qa-dev-newsqa': [
    t('qa.perArticle.top1', top1, '≥', 0.8),
    t('qa.perArticle.top3', top3, '≥', 0.93),
    t('qa.perArticle.falseDeclines', falseDeclines, '≤', 0.02),
    t('qa.perArticle.offTopicDeclined', offTopic, '≥', 0.97),
    t('qa.allArticles.top1', allTop1, '≥', 0.6),
    t('qa.confident.precision', confidentPrecision, '≥', 0.85),
    t('qa.confident.coverage', confidentCoverage, '≥', 0.75),
  ],
  'qa-dev-trecqa': [
    t('qa.trec.mrr', literatureMrr, '≥', 0.9, 'number'),
    t('qa.perArticle.falseDeclines', falseDeclines, '≤', 0.02),
  ],
  'qa-dev-squadpara': [t('qa.perArticle.falseDeclines', falseDeclines, '≤', 0.02)],
  'qa-dev-squadpara-orig': [],
  'qa-dev-squadpara-adv': [],
};

/** The name a QA file's targets are filed under: its base name without `.json`. */
export function setName(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.json$/i, '');
}

function check(metric: string, value: number, op: '≥' | '≤', threshold: number, unit: 'share' | 'number', target?: string): TargetCheck {
  const pass = op === '≥' ? value >= threshold : value <= threshold;
  const check: TargetCheck = { metric, value, threshold, op, unit, target: '', pass };
  check.target = target ?? `${op} ${formatThreshold(check)}`;
  return check;
}

/**
 * The quality targets of a set (issue 10's for the team's dev sets, the general ones otherwise), checked
 * on the unrounded figures; a missing figure is skipped.
 */
export function checkTargets(qa: QaFigures | undefined, sum: SummaryFigures | undefined, set = ''): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (qa) {
    for (const spec of SET_TARGETS[set] ?? GENERAL_TARGETS) {
      const value = spec.get(qa);
      if (value !== undefined && !Number.isNaN(value)) checks.push(check(spec.metric, value, spec.op, spec.threshold, spec.unit ?? 'share'));
    }
  }
  if (sum && sum.articles > 0) {
    checks.push(check('summary.rouge1', sum.project.rouge1, '≥', sum.lead.rouge1 * LEAD_RATIO_ROUGE1, 'number', `≥ ${LEAD_RATIO_ROUGE1}× Lead-3`));
    checks.push(check('summary.rouge2', sum.project.rouge2, '≥', sum.lead.rouge2, 'number', '≥ Lead-3'));
    checks.push(check('summary.rougeL', sum.project.rougeL, '≥', sum.lead.rougeL, 'number', '≥ Lead-3'));
  }
  return checks;
}

/** A target check across two sets: paraphrased SQuAD within 0.5 point of its original wording at top-1. */
export function paraphraseCheck(para: QaFigures, orig: QaFigures): TargetCheck {
  const gap = orig.project.perArticle.top1 - para.project.perArticle.top1;
  return check('qa.paraphrase.top1Gap', gap, '≤', 0.005, 'share', '≤ 0.5 pt');
}

function formatThreshold(c: Pick<TargetCheck, 'threshold' | 'unit'>): string {
  return c.unit === 'share' ? `${+(c.threshold * 100).toFixed(2)}%` : `${+c.threshold.toFixed(3)}`;
}

/**
 * A checked figure printed with as many decimals as it takes for the printed value to tell the same
 * story as the comparison (89.97% for a miss of ≥ 90%, never "90.0% FAIL").
 */
export function formatChecked(c: Pick<TargetCheck, 'value' | 'threshold' | 'op' | 'unit' | 'pass'>): string {
  const scale = c.unit === 'share' ? 100 : 1;
  const base = c.unit === 'share' ? 1 : 3;
  for (let digits = base; digits <= base + 4; digits++) {
    const shown = Number((c.value * scale).toFixed(digits)) / scale;
    const shownPass = c.op === '≥' ? shown >= c.threshold : shown <= c.threshold;
    if (shownPass === c.pass) return c.unit === 'share' ? `${(c.value * 100).toFixed(digits)}%` : c.value.toFixed(digits);
  }
  return c.unit === 'share' ? `${(c.value * 100).toFixed(base + 4)}%` : c.value.toFixed(base + 4);
}

export function pct(x: number): string {
  return Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`;
}

function dec(x: number): string {
  return Number.isNaN(x) ? 'n/a' : x.toFixed(3);
}

function rouge(x: number): string {
  return Number.isNaN(x) ? 'n/a' : (x * 100).toFixed(2);
}

function ratio(a: number, b: number): string {
  return Number.isNaN(a) || Number.isNaN(b) || b === 0 ? '' : `${(a / b).toFixed(2)}×`;
}

export function table(rows: string[][], rightAlignFrom = 1): string {
  const widths: number[] = [];
  // A one-cell row is a section heading: it spans the table and does not widen the first column.
  for (const row of rows) {
    if (row.length > 1) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => {
          const pad = (widths[i] ?? 0) - [...cell].length;
          if (row.length === 1) return cell;
          return i >= rightAlignFrom ? ' '.repeat(pad) + cell : cell + ' '.repeat(pad);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The project's cell (with the decimals its target needs) and the target and verdict cells. */
function checked(checks: TargetCheck[], metric: string, value: string): [string, string, string] {
  const c = checks.find((x) => x.metric === metric);
  return c ? [formatChecked(c), c.target, c.pass ? 'PASS' : 'FAIL'] : [value, '', ''];
}

/** The QA and summary tables: the project beside natural's TfIdf and plain BM25 (or Lead-3), with targets. */
export function mainTable(qa: QaResult | undefined, sum: SummaryFigures | undefined, checks: TargetCheck[]): string {
  const out: string[] = [];
  if (qa) out.push(qaTable(qa.overall, checks));
  if (sum && sum.articles > 0) out.push(summaryTable(sum, checks));
  return out.join('\n\n');
}

function qaTable(f: QaFigures, checks: TargetCheck[]): string {
  const rows: string[][] = [['metric', 'project', 'natural TfIdf', 'plain BM25', 'target', 'pass']];
  const row = (label: string, metric: string, value: number, tfidf: number | undefined, bm25: number | undefined, fmt: (x: number) => string): void => {
    const [shown, target, verdict] = checked(checks, metric, fmt(value));
    rows.push([label, shown, tfidf === undefined ? 'n/a' : fmt(tfidf), bm25 === undefined ? 'n/a' : fmt(bm25), target, verdict]);
  };
  const section = (title: string): void => {
    rows.push(['']);
    rows.push([title]);
  };
  section(
    `QA, one article at a time — ${f.reachable} reachable of ${f.answerable} answerable ` +
      `(${f.unreachable} unreachable, oracle ${pct(f.oracle)}), ${f.unanswerable} unanswerable, ${f.offTopicAsked} off-topic`,
  );
  const p = f.project;
  row('  top-1', 'qa.perArticle.top1', p.perArticle.top1, f.tfidf.perArticle.top1, f.bm25.perArticle.top1, pct);
  row('  top-3', 'qa.perArticle.top3', p.perArticle.top3, f.tfidf.perArticle.top3, f.bm25.perArticle.top3, pct);
  row('  MRR@10', 'qa.perArticle.mrr', p.perArticle.mrr, f.tfidf.perArticle.mrr, f.bm25.perArticle.mrr, dec);
  row(`  top-1, single gold sentence (${p.perArticleSingleGold.n})`, '', p.perArticleSingleGold.top1, f.tfidf.perArticleSingleGold.top1, undefined, pct);
  row('  false declines (answerable)', 'qa.perArticle.falseDeclines', p.falseDeclines, undefined, undefined, pct);
  row('  declined (unanswerable)', '', p.unanswerableDeclined, undefined, undefined, pct);
  row('  declined (off-topic)', 'qa.perArticle.offTopicDeclined', p.offTopicDeclined, undefined, undefined, pct);
  if (p.confidence) {
    row('  confident: right at top-1 (precision)', 'qa.confident.precision', p.confidence.precision, undefined, undefined, pct);
    row('  confident: share of answerable (coverage)', 'qa.confident.coverage', p.confidence.coverage, undefined, undefined, pct);
    row('  confident: SQuAD 2.0 unanswerable marked confident', 'qa.confident.unanswerable', p.confidence.unanswerableConfident, undefined, undefined, pct);
  }
  if (f.fullRanking) {
    const r = f.fullRanking;
    section(`Answer-sentence selection as the literature scores it: every candidate ranked, ${r.n} questions with a correct one`);
    row('  MAP', '', r.project.map, r.tfidf.map, r.bm25.map, dec);
    row('  MRR', 'qa.trec.mrr', r.project.mrr, r.tfidf.mrr, r.bm25.mrr, dec);
  }
  const pa = p.allArticles;
  if (pa.n > 0) {
    section(`QA, all ${f.articles} articles in one index — hit must be from the right article (${pa.n} questions)`);
    row('  top-1', 'qa.allArticles.top1', pa.top1, f.tfidf.allArticles.top1, f.bm25.allArticles.top1, pct);
    row('  top-3', 'qa.allArticles.top3', pa.top3, f.tfidf.allArticles.top3, f.bm25.allArticles.top3, pct);
    row('  MRR@10', '', pa.mrr, f.tfidf.allArticles.mrr, f.bm25.allArticles.mrr, dec);
    row('  false declines (answerable)', '', p.allArticlesFalseDeclines, undefined, undefined, pct);
    if (f.foreignAsked > 0) row(`  declined (${f.foreignAsked} questions of the other sets)`, '', p.foreignDeclined, undefined, undefined, pct);
    if (p.conversation) {
      row('  as conversations (follow-ups scoped): top-1', '', p.conversation.top1, undefined, undefined, pct);
      row('  as conversations: top-3', '', p.conversation.top3, undefined, undefined, pct);
    }
  }
  return table(rows);
}

function summaryTable(sum: SummaryFigures, checks: TargetCheck[]): string {
  const rows: string[][] = [
    [
      `Summaries, ${sum.length} sentences, ${sum.articles} articles — F1 ×100, Porter-stemmed ` +
        `(mean tokens: project ${sum.projectTokens.toFixed(0)}, Lead-3 ${sum.leadTokens.toFixed(0)}, reference ${sum.referenceTokens.toFixed(0)})`,
    ],
    ['metric', 'project', 'Lead-3', 'ratio', 'target', 'pass'],
  ];
  const names: [keyof RougeScores, string][] = [
    ['rouge1', 'ROUGE-1'],
    ['rouge2', 'ROUGE-2'],
    ['rougeL', 'ROUGE-L'],
  ];
  for (const [key, label] of names) {
    const c = checks.find((x) => x.metric === `summary.${key}`);
    rows.push([`  ${label}`, rouge(sum.project[key]), rouge(sum.lead[key]), ratio(sum.project[key], sum.lead[key]), c?.target ?? '', c ? (c.pass ? 'PASS' : 'FAIL') : '']);
  }
  return table(rows);
}

/**
 * Where the misses are: per group of reachable questions (all, by question word, by how many content
 * words the answer sentence shares with the question), top-1 and the misses split into declined and
 * wrong sentence of the right article (one article at a time), and wrong article / wrong sentence of the
 * right one (all articles in one index).
 */
export function breakdownTable(records: readonly QuestionRecord[]): string {
  const reachable = records.filter((r) => r.reachable);
  const all = reachable.some((r) => r.projectAllRank !== 0 || r.projectAllWrongArticle);
  const rows: string[][] = [
    all
      ? ['misses (share of the group)', 'n', 'top-1', 'declined', 'wrong sentence', 'all: top-1', 'declined', 'wrong article', 'wrong sentence']
      : ['misses (share of the group)', 'n', 'top-1', 'declined', 'wrong sentence'],
  ];
  const group = (label: string, rs: readonly QuestionRecord[]): void => {
    if (rs.length === 0) return;
    const share = (test: (r: QuestionRecord) => boolean): string => pct(rs.filter(test).length / rs.length);
    const row = [
      label,
      String(rs.length),
      share((r) => r.projectRank === 1 && !r.projectDeclined),
      share((r) => r.projectDeclined),
      share((r) => !r.projectDeclined && r.projectRank !== 1),
    ];
    if (all) {
      row.push(
        share((r) => r.projectAllRank === 1 && !r.projectAllDeclined),
        share((r) => r.projectAllDeclined),
        share((r) => !r.projectAllDeclined && r.projectAllWrongArticle),
        share((r) => !r.projectAllDeclined && !r.projectAllWrongArticle && r.projectAllRank !== 1),
      );
    }
    rows.push(row);
  };
  group('all reachable', reachable);
  rows.push(['by question word']);
  for (const word of QUESTION_WORDS) group(`  ${word}`, reachable.filter((r) => r.questionWord === word));
  rows.push(['by content words the answer sentence shares with the question']);
  for (const n of [0, 1, 2, 3]) group(`  ${n}`, reachable.filter((r) => r.overlap === n));
  group('  4 or more', reachable.filter((r) => r.overlap >= 4));
  return table(rows);
}

export interface SetOverview {
  name: string;
  qa: QaFigures;
  checks: TargetCheck[];
}

/** One line per set: the headline figures of the project, natural's TfIdf and plain BM25. */
export function overviewTable(sets: readonly SetOverview[]): string {
  const rows: string[][] = [
    ['set', 'top-1 ours / TfIdf / BM25', 'top-3 ours / TfIdf / BM25', 'MRR@10 ours', 'false declines', 'off-topic declined', 'all: top-1 ours / TfIdf / BM25', 'targets'],
  ];
  for (const { name, qa: f, checks } of sets) {
    const three = (a: number, b: number, c: number): string => `${pct(a)} / ${pct(b)} / ${pct(c)}`;
    const passed = checks.filter((c) => c.pass).length;
    rows.push([
      name,
      three(f.project.perArticle.top1, f.tfidf.perArticle.top1, f.bm25.perArticle.top1),
      three(f.project.perArticle.top3, f.tfidf.perArticle.top3, f.bm25.perArticle.top3),
      dec(f.project.perArticle.mrr),
      pct(f.project.falseDeclines),
      pct(f.project.offTopicDeclined),
      f.project.allArticles.n > 0 ? three(f.project.allArticles.top1, f.tfidf.allArticles.top1, f.bm25.allArticles.top1) : 'n/a',
      `${passed}/${checks.length}`,
    ]);
  }
  return table(rows);
}

/** Per-source breakdown: sources as columns. */
export function sourceTable(qa: QaResult | undefined, sum: SummaryFigures | undefined): string {
  const out: string[] = [];
  if (qa) {
    const keys = Object.keys(qa.bySource) as SourceKey[];
    const cols = keys.map((k) => qa.bySource[k] as QaFigures);
    const both = (get: (f: QaFigures) => [number, number], fmt: (x: number) => string): string[] =>
      cols.map((f) => {
        const [a, b] = get(f);
        return `${fmt(a)} / ${fmt(b)}`;
      });
    const rows: string[][] = [
      ['QA by source', ...keys.map((k) => SOURCE_LABELS[k])],
      ['articles', ...cols.map((f) => String(f.articles))],
      ['questions (answerable / unanswerable)', ...cols.map((f) => `${f.questions} (${f.answerable} / ${f.unanswerable})`)],
      ['unreachable (oracle)', ...cols.map((f) => `${f.unreachable} (${pct(f.oracle)})`)],
      ['gold in >1 sentence', ...cols.map((f) => `${f.ambiguous} (${pct(f.ambiguous / f.reachable)})`)],
      ['one article: top-1  project / TfIdf', ...both((f) => [f.project.perArticle.top1, f.tfidf.perArticle.top1], pct)],
      ['one article: top-3  project / TfIdf', ...both((f) => [f.project.perArticle.top3, f.tfidf.perArticle.top3], pct)],
      ['  single gold sentence: top-1', ...both((f) => [f.project.perArticleSingleGold.top1, f.tfidf.perArticleSingleGold.top1], pct)],
      ['one article: MRR@10 project / TfIdf', ...both((f) => [f.project.perArticle.mrr, f.tfidf.perArticle.mrr], dec)],
      ['false declines (answerable)', ...cols.map((f) => pct(f.project.falseDeclines))],
      ['declined (unanswerable)', ...cols.map((f) => pct(f.project.unanswerableDeclined))],
      ['declined (off-topic)', ...cols.map((f) => `${pct(f.project.offTopicDeclined)} of ${f.offTopicAsked}`)],
    ];
    if (qa.overall.project.allArticles.n > 0) {
      rows.push(['all articles: top-1 project / TfIdf', ...both((f) => [f.project.allArticles.top1, f.tfidf.allArticles.top1], pct)]);
      rows.push(['all articles: top-3 project / TfIdf', ...both((f) => [f.project.allArticles.top3, f.tfidf.allArticles.top3], pct)]);
    }
    out.push(table(rows));
  }
  if (sum && Object.keys(sum.bySource).length > 1) {
    const keys = Object.keys(sum.bySource) as SourceKey[];
    const rows: string[][] = [['Summaries by source (project / Lead-3)', ...keys.map((k) => SOURCE_LABELS[k])]];
    for (const [key, label] of [
      ['rouge1', 'ROUGE-1'],
      ['rouge2', 'ROUGE-2'],
      ['rougeL', 'ROUGE-L'],
    ] as const) {
      rows.push([label, ...keys.map((k) => `${rouge(sum.bySource[k]?.project[key] ?? NaN)} / ${rouge(sum.bySource[k]?.lead[key] ?? NaN)}`)]);
    }
    out.push(table(rows));
  }
  return out.join('\n\n');
}

function clip(text: string, max = 300): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

/** `n` misses picked deterministically (seeded) from all of them. */
export function sampleMisses(misses: readonly Miss[], n: number, seed: string): Miss[] {
  const random = mulberry32(hashSeed(`${seed}:failures`));
  const order = misses.map((m, i) => ({ m, r: random(), i }));
  order.sort((a, b) => a.r - b.r || a.i - b.i);
  return order.slice(0, n).map((x) => x.m);
}

export function formatMisses(misses: readonly Miss[], total: number): string {
  const lines = [`Sample misses (${misses.length} of ${total}: top-1 wrong or declined, one article at a time)`];
  misses.forEach((m, i) => {
    const rank = m.rank === 0 ? 'not in top 10' : `gold at rank ${m.rank}`;
    const declined = m.declined ? `, DECLINED (${m.declineReason ?? '?'})` : '';
    lines.push('');
    lines.push(`${i + 1}. [${SOURCE_LABELS[m.source]} · ${m.article}] ${m.question}`);
    lines.push(`   gold: ${m.golds.map((g) => JSON.stringify(clip(g, 120))).join(' | ')}  (${rank}${declined}; ${m.goldSentences} gold sentence(s))`);
    lines.push(m.top ? `   ours #${m.top.sentence} (score ${m.top.score}): ${clip(m.top.text)}` : '   ours: no hits');
    lines.push(`   gold #${m.gold.sentence}: ${clip(m.gold.text)}`);
  });
  return lines.join('\n');
}
