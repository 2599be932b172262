import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { answersCsv } from './csv';
import { buildReport, REPORT_DEFAULTS } from './report';
import { formatReportText } from './report-text';
import { InsightsStore } from './store';
import type { RecordedAnswer } from './types';
import { InsightsUsageError } from './cli-usage';

export { INSIGHTS_USAGE, InsightsUsageError } from './cli-usage';

const MAX_DAYS = 3650;

/** `cli insights …`: reads the bot's database without changing it. Returns the text to print; throws on failure. */
export function runInsightsCommand(argv: string[]): string {
  let values: { guild?: string; days?: string; json?: boolean; csv?: boolean; db?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { guild: { type: 'string' }, days: { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' }, db: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new InsightsUsageError((error as Error).message);
  }
  if (values.json && values.csv) throw new InsightsUsageError('--json and --csv do not go together');
  const days = values.days === undefined ? undefined : Number(values.days);
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > MAX_DAYS)) {
    throw new InsightsUsageError(`--days must be a whole number from 1 to ${MAX_DAYS}, got "${values.days}"`);
  }
  const path = values.db ?? join(loadConfig().dataDir ?? 'var', 'bot.sqlite');
  const store = InsightsStore.openForReading(path);
  try {
    const guild = values.guild?.trim();
    if (!guild) {
      const known = store.guilds();
      throw new InsightsUsageError(`--guild is required; servers recorded in ${path}: ${known.length > 0 ? known.join(', ') : 'none yet'}`);
    }
    const now = new Date();
    const window = days ?? (values.json || values.csv ? undefined : REPORT_DEFAULTS.days);
    const read = store.read(guild, window === undefined ? undefined : new Date(now.getTime() - window * 86_400_000));
    if (!read.ok) throw new Error(read.reason);
    if (values.csv) return answersCsv(read.answers).trimEnd();
    if (values.json) return read.answers.map((a) => JSON.stringify(answerJson(a))).join('\n');
    return formatReportText(buildReport(guild, read.answers, { days: window ?? REPORT_DEFAULTS.days, now }));
  } finally {
    store.close();
  }
}

function answerJson(a: RecordedAnswer) {
  return {
    id: a.id,
    askedAt: a.askedAt.toISOString(),
    channel: a.channelId,
    via: a.via,
    question: a.question,
    answered: a.answered,
    confident: a.confident,
    declineReason: a.declineReason,
    quotes: a.quotes,
    up: a.up,
    down: a.down,
  };
}
