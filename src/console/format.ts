/** Plain-text renderings shared by the console chat and the CLI's human output. */
import type { SkippedFile } from '../engine/types';
import type { Answer, Hit, ReloadReport, SourceInfo, SourceLookup, Summary } from '../sources/library-types';
import { quoteText } from '../text/quote';

/** What differs between the console and the CLI: how to list the sources there. */
export interface TextStyle {
  /** e.g. `Type /sources` (console) or `Run "sources"` (CLI). */
  listSources: string;
}

export const CONSOLE_STYLE: TextStyle = { listSources: 'Type /sources' };

function attribution(hit: Pick<Hit, 'title' | 'url' | 'source' | 'sentence' | 'total'>): string {
  const link = hit.url === undefined ? '' : ` <${hit.url}>`;
  return `— ${hit.title}${link}, sentence ${hit.sentence} of ${hit.total} (${hit.source})`;
}

/** What an answer the engine is not sure of opens with: the sentences below are the closest, not an answer. */
export const NOT_SURE = "I'm not sure the articles answer that. The closest sentences:";

/** `scope`: the one article the question was asked of, so a decline names it rather than all of them. */
export function formatAnswer(answer: Answer, style: TextStyle = CONSOLE_STYLE, scope?: SourceInfo): string {
  if (!answer.answered) {
    if (answer.declineReason === 'empty-question') return 'Ask a question with a few words that matter, e.g. "Where was the first meeting held?".';
    if (scope !== undefined) return `${quoteText(scope.title)} (${scope.id}) does not answer that. Ask without a source to search every article.`;
    return `The loaded articles do not answer that. ${style.listSources} to see what they cover.`;
  }
  const hits = answer.hits.map((hit, i) => formatHit(hit, i + 1)).join('\n\n');
  const lead = [answer.followUp ? `(Following up on ${answer.followUp.title}.)` : '', answer.confident ? '' : NOT_SURE].filter((l) => l !== '');
  return [...lead, hits].join('\n');
}

function formatHit(hit: Hit, rank: number): string {
  const lines = [`${rank}. ${quoteText(hit.text)}`, `   ${attribution(hit)} · score ${hit.score}`];
  if (hit.context !== undefined) {
    const where = hit.context.sentence < hit.sentence ? 'before' : 'after';
    lines.push(`   context (sentence ${hit.context.sentence}, ${where}): ${quoteText(hit.context.text)}`);
  }
  return lines.join('\n');
}

export function formatSummary(summary: Summary): string {
  const link = summary.url === undefined ? '' : ` <${summary.url}>`;
  const header = `${summary.title}${link} (${summary.source}, ${summary.total} sentences)`;
  const body = summary.sentences.map((s) => `  [${s.sentence}] ${s.text}`);
  return [header, ...body].join('\n');
}

/** `marked`: each line ends with its group, `shared` (the operator's) or `server` (one server's own). */
export function formatSources(sources: readonly SourceInfo[], { marked = false }: { marked?: boolean } = {}): string {
  if (sources.length === 0) return 'No articles are loaded.';
  const group = (s: SourceInfo) => (marked ? `\t${s.shared === true ? 'shared' : 'server'}` : '');
  return sources.map((s) => `${s.id}\t${s.sentences} sentences\t${s.title}${group(s)}`).join('\n');
}

/** Nothing to answer from: where the articles were looked for, then `advice` (what to do about it). */
export function formatNoArticles(sourcesPath: string | undefined, advice: string): string {
  const where = sourcesPath === undefined ? '' : ` from ${sourcesPath}`;
  return `No articles are loaded${where}: ${advice}`;
}

/** Why a source name was not used: unknown (with near names) or ambiguous (with the matches). */
export function formatSourceLookup(lookup: Exclude<SourceLookup, { kind: 'found' }>, style: TextStyle = CONSOLE_STYLE): string {
  const named = (source: SourceInfo) => `${source.title} (${source.id})`;
  if (lookup.kind === 'ambiguous') {
    return `"${lookup.name}" matches ${lookup.matches.length} articles: ${lookup.matches.map(named).join('; ')}. Give more of the title, or the file name.`;
  }
  const near = lookup.suggestions.length === 0 ? '' : ` Did you mean ${lookup.suggestions.map(named).join('; ')}?`;
  return `No source named "${lookup.name}" is loaded.${near} ${style.listSources} to list them.`;
}

/** A file that was not loaded, as the CLI and the console chat print it on standard error. */
export function formatSkipped(skipped: SkippedFile): string {
  return `skipped ${skipped.file}: ${skipped.reason}`;
}

/** `1 article`, `2 articles`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function formatReload(report: ReloadReport): string {
  const { before, after } = report;
  const lines = report.ok
    ? [`Reloaded in ${report.durationMs} ms: ${before.sources} → ${plural(after.sources, 'article')}, ${before.sentences} → ${plural(after.sentences, 'sentence')}.`]
    : [`Reload failed, the previous ${plural(before.sources, 'article')} still serving: ${report.error ?? 'unknown error'}`];
  for (const skipped of report.skipped) lines.push(`  ${formatSkipped(skipped)}`);
  return lines.join('\n');
}
