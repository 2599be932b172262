/**
 * Targets, pass/fail and the printed tables.
 */
import { SOURCE_LABELS, type SourceKey } from './data';
import { hashSeed, mulberry32, type RougeScores } from './metrics';
import type { Miss, QaFigures, QaResult, SummaryFigures } from './run';

export interface TargetCheck {
  metric: string;
  value: number;
  target: string;
  pass: boolean;
}

const LEAD_RATIO_ROUGE1 = 1.03;

/** The project's quality targets, checked against the figures (skipped when the figure is missing). */
export function checkTargets(qa: QaFigures | undefined, sum: SummaryFigures | undefined): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const atLeast = (metric: string, value: number, min: number, label = `≥ ${fmtTarget(min)}`): void => {
    if (!Number.isNaN(value)) checks.push({ metric, value, target: label, pass: value >= min });
  };
  const atMost = (metric: string, value: number, max: number): void => {
    if (!Number.isNaN(value)) checks.push({ metric, value, target: `≤ ${fmtTarget(max)}`, pass: value <= max });
  };
  if (qa) {
    atLeast('qa.perArticle.top1', qa.project.perArticle.top1, 0.75);
    atLeast('qa.perArticle.top3', qa.project.perArticle.top3, 0.9);
    atLeast('qa.perArticle.mrr', qa.project.perArticle.mrr, 0.82, '≥ 0.82');
    atMost('qa.perArticle.falseDeclines', qa.project.falseDeclines, 0.03);
    atLeast('qa.perArticle.offTopicDeclined', qa.project.offTopicDeclined, 0.97);
    if (qa.project.allArticles.n > 0) {
      atLeast('qa.allArticles.top1', qa.project.allArticles.top1, 0.72);
      atLeast('qa.allArticles.top3', qa.project.allArticles.top3, 0.87);
    }
  }
  if (sum && sum.articles > 0) {
    atLeast('summary.rouge1', sum.project.rouge1, sum.lead.rouge1 * LEAD_RATIO_ROUGE1, `≥ ${LEAD_RATIO_ROUGE1}× Lead-3`);
    atLeast('summary.rouge2', sum.project.rouge2, sum.lead.rouge2, '≥ Lead-3');
    atLeast('summary.rougeL', sum.project.rougeL, sum.lead.rougeL, '≥ Lead-3');
  }
  return checks;
}

function fmtTarget(x: number): string {
  return `${Math.round(x * 100)}%`;
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

function table(rows: string[][], rightAlignFrom = 1): string {
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

function passCell(checks: TargetCheck[], metric: string): [string, string] {
  const c = checks.find((x) => x.metric === metric);
  return c ? [c.target, c.pass ? 'PASS' : 'FAIL'] : ['', ''];
}

/** The main table: project vs natural's TfIdf vs Lead-3, with targets and pass/fail. */
export function mainTable(qa: QaResult | undefined, sum: SummaryFigures | undefined, checks: TargetCheck[]): string {
  const rows: string[][] = [['metric', 'project', 'natural TfIdf', 'Lead-3', 'ratio', 'target', 'pass']];
  const section = (title: string): void => {
    rows.push(['']);
    rows.push([title]);
  };
  if (qa) {
    const f = qa.overall;
    section(
      `QA, one article at a time — ${f.reachable} reachable of ${f.answerable} answerable ` +
        `(${f.unreachable} unreachable, oracle ${pct(f.oracle)}), ${f.unanswerable} unanswerable, ${f.offTopicAsked} off-topic`,
    );
    const p = f.project.perArticle;
    const b = f.tfidf.perArticle;
    rows.push(['  top-1', pct(p.top1), pct(b.top1), '', ratio(p.top1, b.top1), ...passCell(checks, 'qa.perArticle.top1')]);
    rows.push(['  top-3', pct(p.top3), pct(b.top3), '', ratio(p.top3, b.top3), ...passCell(checks, 'qa.perArticle.top3')]);
    rows.push(['  MRR@10', dec(p.mrr), dec(b.mrr), '', ratio(p.mrr, b.mrr), ...passCell(checks, 'qa.perArticle.mrr')]);
    const ps = f.project.perArticleSingleGold;
    const bs = f.tfidf.perArticleSingleGold;
    rows.push([`  top-1, single gold sentence (${ps.n})`, pct(ps.top1), pct(bs.top1), '', ratio(ps.top1, bs.top1), '(info)', '']);
    rows.push([
      '  false declines (answerable)',
      pct(f.project.falseDeclines),
      'n/a',
      '',
      '',
      ...passCell(checks, 'qa.perArticle.falseDeclines'),
    ]);
    rows.push(['  declined (unanswerable)', pct(f.project.unanswerableDeclined), 'n/a', '', '', '(info)', '']);
    rows.push([
      '  declined (off-topic)',
      pct(f.project.offTopicDeclined),
      'n/a',
      '',
      '',
      ...passCell(checks, 'qa.perArticle.offTopicDeclined'),
    ]);
    const pa = f.project.allArticles;
    const ba = f.tfidf.allArticles;
    if (pa.n > 0) {
      section(`QA, all ${f.articles} articles in one index — hit must be from the right article (${pa.n} questions)`);
      rows.push(['  top-1', pct(pa.top1), pct(ba.top1), '', ratio(pa.top1, ba.top1), ...passCell(checks, 'qa.allArticles.top1')]);
      rows.push(['  top-3', pct(pa.top3), pct(ba.top3), '', ratio(pa.top3, ba.top3), ...passCell(checks, 'qa.allArticles.top3')]);
      rows.push(['  MRR@10', dec(pa.mrr), dec(ba.mrr), '', ratio(pa.mrr, ba.mrr), '(info)', '']);
    }
  }
  if (sum && sum.articles > 0) {
    section(
      `Summaries, ${sum.length} sentences, ${sum.articles} articles — F1 ×100, Porter-stemmed ` +
        `(mean tokens: project ${sum.projectTokens.toFixed(0)}, Lead-3 ${sum.leadTokens.toFixed(0)}, reference ${sum.referenceTokens.toFixed(0)})`,
    );
    const names: [keyof RougeScores, string][] = [
      ['rouge1', 'ROUGE-1'],
      ['rouge2', 'ROUGE-2'],
      ['rougeL', 'ROUGE-L'],
    ];
    for (const [key, label] of names) {
      rows.push([
        `  ${label}`,
        rouge(sum.project[key]),
        '',
        rouge(sum.lead[key]),
        ratio(sum.project[key], sum.lead[key]),
        ...passCell(checks, `summary.${key}`),
      ]);
    }
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
