import type { InsightsReport } from './report';

const WIDTH = 160;

function oneLine(text: string, max = WIDTH): string {
  // Control characters (a member can type anything) never reach the terminal.
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The report as plain text, for the CLI. */
export function formatReportText(report: InsightsReport): string {
  const { totals } = report;
  const lines = [
    `Insights for server ${report.guildId}, last ${report.days} days (${report.from.toISOString().slice(0, 10)} to ${report.to.toISOString().slice(0, 10)})`,
    `${totals.questions} questions: ${totals.answered} answered (${totals.unconfident} without confidence), ${totals.declined} declined; votes 👍 ${totals.up} 👎 ${totals.down}`,
    '',
    'Questions the articles miss (declined or answered without confidence):',
  ];
  if (report.missed.length === 0) lines.push('  none');
  for (const group of report.missed) {
    const label = group.words.length > 0 ? group.words.join(', ') : '(no topical words)';
    const phrasings = group.phrasings.slice(0, 3).map((p) => `"${oneLine(p.question, 80)}"${p.count > 1 ? ` ×${p.count}` : ''}`);
    lines.push(`  ${group.count}× ${oneLine(label, 60)}: ${phrasings.join(' · ')}${group.phrasings.length > 3 ? ' …' : ''}`);
  }
  lines.push('', 'Answers with the most 👎:');
  if (report.downvoted.length === 0) lines.push('  none');
  for (const item of report.downvoted) {
    lines.push(`  👎 ${item.down} 👍 ${item.up}  "${oneLine(item.question, 100)}" (answer ${item.id})`);
    if (item.quote) lines.push(`      quoted: "${oneLine(item.quote.text, 140)}" — ${oneLine(item.quote.title, 60)}, sentence ${item.quote.sentence} (${item.quote.source})`);
  }
  lines.push('', 'Per article (answers it gave first, and their votes):');
  if (report.articles.length === 0) lines.push('  none');
  for (const a of report.articles) lines.push(`  ${a.answered} answers, 👍 ${a.up} 👎 ${a.down}  ${oneLine(a.title, 80)} (${a.source})`);
  return lines.join('\n');
}
