import { createInterface } from 'node:readline';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_SOURCES_DIR, loadConfig, loadDotenv } from './config';
import { formatAnswer, formatSources, formatSummary } from './console/format';
import { ArticleLibrary } from './sources/library';
import { UnknownSourceError, type Answer, type Hit, type Summary } from './sources/library-types';

const USAGE = `Usage: npm run --silent cli -- <command> [options]

Commands:
  ask [QUESTION] [--sources PATH] [--source ID] [--top N] [--json]
      Answer QUESTION, or one question per line of standard input when QUESTION is left out.
  summary [--sources PATH] [--source ID] [--sentences N] [--json]
      An extractive summary of each source (or of one).
  sources [--sources PATH] [--json]
      The loaded sources: id, title, sentence count.

PATH is an article file or a folder of them (default: $SOURCES_DIR, else ${DEFAULT_SOURCES_DIR}).
Results go to standard output; skipped files and errors to standard error.
Exit codes: 0 done, 1 failed, 2 bad usage.`;

class UsageError extends Error {}

const OPTIONS = {
  sources: { type: 'string' },
  source: { type: 'string' },
  top: { type: 'string' },
  sentences: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

type Options = { sources?: string; source?: string; top?: string; sentences?: string; json: boolean; help: boolean };

function parseCommandLine(argv: string[]): { command: string | undefined; positionals: string[]; options: Options } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const [command, ...rest] = positionals;
    return { command, positionals: rest, options: values as Options };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function positiveInteger(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got "${value}"`);
  return parsed;
}

function allowOnly(options: Options, allowed: (keyof Options)[], command: string): void {
  for (const key of ['source', 'top', 'sentences'] as const) {
    if (options[key] !== undefined && !allowed.includes(key)) throw new UsageError(`--${key} does not go with "${command}"`);
  }
}

async function openLibrary(options: Options): Promise<ArticleLibrary> {
  // The same validated settings as the bot, so a bad MAX_SOURCE_BYTES is an error here too, not "no limit".
  const config = loadConfig();
  const sourcesPath = options.sources ?? config.sourcesDir;
  const { library, report } = await ArticleLibrary.open({ sourcesPath, maxSourceBytes: config.maxSourceBytes });
  if (!report.ok) throw new Error(report.error);
  for (const skipped of report.skipped) process.stderr.write(`skipped ${skipped.file}: ${skipped.reason}\n`);
  return library;
}

function hitJson(hit: Hit) {
  const json: Record<string, unknown> = {
    source: hit.source, title: hit.title, url: hit.url ?? null, sentence: hit.sentence, text: hit.text, score: hit.score,
  };
  if (hit.context !== undefined) json.context = hit.context;
  return json;
}

function answerOutput(answer: Answer, json: boolean): string {
  if (json) return JSON.stringify({ question: answer.question, answered: answer.answered, hits: answer.hits.map(hitJson) });
  return `Q: ${answer.question}\n${formatAnswer(answer)}\n`;
}

function summaryOutput(summary: Summary, json: boolean): string {
  if (!json) return `${formatSummary(summary)}\n`;
  return JSON.stringify({ source: summary.source, title: summary.title, sentences: summary.sentences });
}

async function runAsk(positionals: string[], options: Options): Promise<void> {
  allowOnly(options, ['source', 'top'], 'ask');
  const top = positiveInteger('top', options.top, 3, 50);
  const library = await openLibrary(options);
  const ask = (question: string) => {
    write(answerOutput(library.ask(question, { source: options.source, top }), options.json));
  };
  if (positionals.length > 0) {
    ask(positionals.join(' '));
    return;
  }
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() !== '') ask(line);
  }
}

async function runSummary(options: Options): Promise<void> {
  allowOnly(options, ['source', 'sentences'], 'summary');
  const sentences = positiveInteger('sentences', options.sentences, 3, 50);
  const library = await openLibrary(options);
  for (const summary of library.summarize({ source: options.source, sentences })) write(summaryOutput(summary, options.json));
}

async function runSources(options: Options): Promise<void> {
  allowOnly(options, [], 'sources');
  const library = await openLibrary(options);
  const sources = library.sources();
  if (!options.json) {
    write(formatSources(sources));
    return;
  }
  for (const source of sources) write(JSON.stringify({ source: source.id, title: source.title, url: source.url ?? null, sentences: source.sentences }));
}

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    const { command, positionals, options } = parseCommandLine(argv);
    if (options.help) {
      write(USAGE);
      return 0;
    }
    if (command !== 'ask' && positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (command === 'ask') await runAsk(positionals, options);
    else if (command === 'summary') await runSummary(options);
    else if (command === 'sources') await runSources(options);
    else throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof UnknownSourceError) {
      process.stderr.write(`error: ${error.message} Run "sources" to list them.\n`);
      return 1;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

// A reader that closes early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

loadDotenv();
process.exitCode = await runCli(process.argv.slice(2));
