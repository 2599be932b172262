/** Plain-text renderings shared by the console chat and the CLI's human output. */
import type { Answer, Hit, ReloadReport, SourceInfo, Summary } from '../sources/library-types';

function attribution(hit: Pick<Hit, 'title' | 'url' | 'source' | 'sentence' | 'total'>): string {
  const link = hit.url === undefined ? '' : ` <${hit.url}>`;
  return `— ${hit.title}${link}, sentence ${hit.sentence} of ${hit.total} (${hit.source})`;
}

export function formatAnswer(answer: Answer): string {
  if (!answer.answered) {
    return answer.declineReason === 'empty-question'
      ? 'Ask a question with a few words that matter, e.g. "Where was the first meeting held?".'
      : 'The loaded articles do not answer that. Type /sources to see what they cover.';
  }
  return answer.hits.map((hit, i) => formatHit(hit, i + 1)).join('\n\n');
}

function formatHit(hit: Hit, rank: number): string {
  const lines = [`${rank}. "${hit.text}"`, `   ${attribution(hit)} · score ${hit.score}`];
  if (hit.context !== undefined) {
    const where = hit.context.sentence < hit.sentence ? 'before' : 'after';
    lines.push(`   context (sentence ${hit.context.sentence}, ${where}): "${hit.context.text}"`);
  }
  return lines.join('\n');
}

export function formatSummary(summary: Summary): string {
  const link = summary.url === undefined ? '' : ` <${summary.url}>`;
  const header = `${summary.title}${link} (${summary.source}, ${summary.total} sentences)`;
  const body = summary.sentences.map((s) => `  [${s.sentence}] ${s.text}`);
  return [header, ...body].join('\n');
}

export function formatSources(sources: readonly SourceInfo[]): string {
  if (sources.length === 0) return 'No articles are loaded.';
  return sources.map((s) => `${s.id}\t${s.sentences} sentences\t${s.title}`).join('\n');
}

export function formatReload(report: ReloadReport): string {
  const lines = report.ok
    ? [`Reloaded in ${report.durationMs} ms: ${report.before.sources} → ${report.after.sources} articles, ${report.before.sentences} → ${report.after.sentences} sentences.`]
    : [`Reload failed, the previous ${report.before.sources} articles are still serving: ${report.error ?? 'unknown error'}`];
  for (const skipped of report.skipped) lines.push(`  skipped ${skipped.file}: ${skipped.reason}`);
  return lines.join('\n');
}
