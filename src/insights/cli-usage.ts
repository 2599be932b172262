/**
 * The usage of `cli insights` and its usage error, apart from the command itself, so that the CLI can
 * print its help without loading the database module (better-sqlite3) on every run.
 */
import { REPORT_DEFAULTS } from './report';

export const INSIGHTS_USAGE = `  insights --guild ID [--days N] [--json | --csv] [--db FILE]
      What one server asked: the report /insights shows (last --days, default ${REPORT_DEFAULTS.days}), or with
      --json one line per recorded answer (all kept, or the last --days) to build an evaluation file from,
      or with --csv the same as /insights export. FILE default: $DATA_DIR/bot.sqlite.`;

/** Bad arguments: the caller prints the usage and exits 2. */
export class InsightsUsageError extends Error {}
