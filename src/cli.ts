import { existsSync, realpathSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_DATA_DIR, DEFAULT_SOURCES_DIR, loadConfig, loadDotenv, type Config } from './config';
// Text output never carries an article's terminal escapes; --json escapes them itself.
import { forTerminal } from './text/terminal';
import { formatAnswer, formatNoArticles, formatSkipped, formatSourceLookup, formatSources, formatSummary, type TextStyle } from './console/format';
import { AnalysisCache, analysisCacheDir, openAnalysisCache } from './sources/analysis-cache';
import { INSIGHTS_USAGE, InsightsUsageError } from './insights/cli-usage';
import { ArticleLibrary } from './sources/library';
import { UnknownSourceError, type Answer, type Hit, type Library, type SourceInfo, type Summary } from './sources/library-types';
import { isServerId, serverArticlesFolder, ServerLibraries } from './sources/server-libraries';
import { isSummaryLength, SUMMARY_SENTENCES, summaryLengthError } from './sources/summary-length';

const USAGE = `Usage: bin/article-qa <command> [options]   (or: npm run --silent cli -- <command> [options])

Commands:
  ask [QUESTION] [--sources PATH] [--guild ID] [--source NAME] [--top N] [--json] [--conversation]
      Answer QUESTION, or each line of standard input when QUESTION is left out: one answer a line.
      --conversation: the lines are one conversation, so a follow-up ("When was he born?") is asked of
      the article of the previous answer.
  summary [--sources PATH] [--guild ID] [--source NAME] [--sentences N] [--json]
      An extractive summary of each source (or of one), in N sentences (${SUMMARY_SENTENCES.min} to ${SUMMARY_SENTENCES.max}, default ${SUMMARY_SENTENCES.default}).
  sources [--sources PATH] [--guild ID] [--json]
      The loaded sources: id, title, sentence count (with --guild, each marked shared or server).
  cache --stats | --clear
      The analysis cache in $DATA_DIR/cache (default var/cache): what it holds, or empty it.
${INSIGHTS_USAGE}

--guild ID answers as the bot does in the Discord server ID: the shared articles (PATH) and that server's
own, in DIR/guilds/ID/articles. --data-dir DIR (default: $DATA_DIR, else var) also holds the cache.

--no-cache reads and analyses every article afresh and leaves the cache alone (as INDEX_CACHE=false).

PATH is an article file or a folder of them (default: $SOURCES_DIR, else ${DEFAULT_SOURCES_DIR}).
NAME is a source's file name, its title, or the start of its title (any case).
Results go to standard output; skipped files and errors to standard error.
Exit codes: 0 done, 1 failed, 2 bad usage.`;

class UsageError extends Error {}

/** Where the CLI reads and writes; the process's own streams unless a test passes others. */
export interface CliIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
}

const STYLE: TextStyle = { listSources: 'Run "sources"' };

/** Said on standard error when `ask` has no question and a person at a terminal would otherwise wait in silence. */
export const STDIN_HINT = 'Reading questions from standard input, one a line (Ctrl+D to end). Or pass one: ask "Where was it held?"';

const OPTIONS = {
  sources: { type: 'string' },
  source: { type: 'string' },
  guild: { type: 'string' },
  'data-dir': { type: 'string' },
  top: { type: 'string' },
  sentences: { type: 'string' },
  json: { type: 'boolean', default: false },
  'no-cache': { type: 'boolean', default: false },
  stats: { type: 'boolean', default: false },
  clear: { type: 'boolean', default: false },
  conversation: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

type Options = {
  sources?: string;
  source?: string;
  guild?: string;
  'data-dir'?: string;
  top?: string;
  sentences?: string;
  json: boolean;
  'no-cache': boolean;
  stats: boolean;
  clear: boolean;
  conversation: boolean;
  help: boolean;
};

function parseCommandLine(argv: string[]): { command: string | undefined; positionals: string[]; options: Options } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const [command, ...rest] = positionals;
    return { command, positionals: rest, options: values as Options };
  } catch (error) {
    throw new UsageError(usageMessage(error as Error & { code?: string }, argv));
  }
}

/** What a new user would type after an option that takes a value, for the message when it is left out. */
const VALUE_EXAMPLES: Record<string, string> = { '--top': '3', '--sentences': '3', '--guild': '123456789012345678', '--source': 'seed', '--sources': 'seeds', '--data-dir': 'data' };

/** node's own text for an unknown option has an unbalanced quote and no example. */
function usageMessage(error: Error & { code?: string }, argv: string[]): string {
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // node uses this code both for a value left out ("Option '--top <value>' argument missing") and for a
    // switch given one ("Option '-h, --help' does not take an argument"), each with an unbalanced quote.
    const name = /--([\w-]+)/.exec(error.message)?.[1];
    if (name === undefined || !(name in OPTIONS)) return error.message;
    const option = `--${name}`;
    if (OPTIONS[name as keyof typeof OPTIONS].type === 'boolean') return `${option} takes no value: write ${option} alone`;
    return `${option} needs a value after it (e.g. ${option} ${VALUE_EXAMPLES[option] ?? 'VALUE'})`;
  }
  if (error.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return error.message;
  // node names only the option it read ('-5' of "-5 degrees?"); the hint quotes the whole argument.
  const named = /'(-[^']*)'/.exec(error.message)?.[1];
  const argument = argv.find((arg) => arg.startsWith('-') && named !== undefined && (arg === named || arg.startsWith(named)));
  const option = named ?? argument ?? error.message;
  const asking = argv.find((arg) => !arg.startsWith('-')) === 'ask';
  const hint = asking ? `. A question that starts with "-" goes after "--": ask -- "${argument ?? option}"` : '';
  return `unknown option "${option}"${hint}`;
}

function positiveInteger(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got "${value}"`);
  return parsed;
}

function allowOnly(options: Options, allowed: (keyof Options)[], command: string): void {
  for (const key of ['source', 'top', 'sentences', 'guild'] as const) {
    if (options[key] !== undefined && !allowed.includes(key)) throw new UsageError(`--${key} does not go with "${command}"`);
  }
}

/** `--data-dir`, else DATA_DIR (config's default): where the cache and the servers' folders are. */
function dataDirOf(options: Options, config: Config): string {
  return options['data-dir'] ?? config.dataDir ?? DEFAULT_DATA_DIR;
}

/** `--guild ID`, checked before anything is read: only a Discord server id ever becomes a path. */
function guildOf(options: Options): string | undefined {
  const guild = options.guild;
  if (guild !== undefined && !isServerId(guild)) throw new UsageError(`--guild takes a Discord server id (digits only), got "${guild.slice(0, 40)}"`);
  return guild;
}

/**
 * Loads the articles, with `--guild` as the bot sees them in that server (the shared ones and its own, through
 * the same ServerLibraries); with none loaded, `ask` and `summary` fail saying where they looked, `sources` says so.
 */
async function openLibrary(options: Options, io: CliIo, needArticles = true): Promise<Library> {
  const guild = guildOf(options);
  // The same validated settings as the bot, so a bad MAX_SOURCE_BYTES is an error here too, not "no limit".
  const config = loadConfig();
  const sourcesPath = options.sources ?? config.sourcesDir;
  const dataDir = dataDirOf(options, config);
  const cache = options['no-cache'] ? undefined : openAnalysisCache({ ...config, dataDir }, (line) => io.stderr.write(`warning: ${line}\n`));
  if (cache !== undefined) openedCaches.add(cache);
  const { library: shared, report } = await ArticleLibrary.open({ sourcesPath, maxSourceBytes: config.maxSourceBytes, ...(cache ? { cache } : {}) });
  if (!report.ok) throw new Error(report.error);
  const skippedFiles = [...report.skipped];
  let library: Library = shared;
  let where = sourcesPath;
  if (guild !== undefined) {
    const ownFolder = serverArticlesFolder(dataDir, guild);
    if (!existsSync(ownFolder)) io.stderr.write(`Server ${guild} has no articles of its own (no folder ${ownFolder}): answering from the shared articles only.\n`);
    const servers = new ServerLibraries({ shared, dataDir, ...(config.maxSourceBytes !== undefined ? { maxSourceBytes: config.maxSourceBytes } : {}), ...(cache ? { cache } : {}) });
    const server = await servers.forServer(guild);
    skippedFiles.push(...server.ownSkipped());
    library = server;
    where = `${sourcesPath} or ${ownFolder}`;
  }
  // File names may hold control characters too (they are skipped, and their names printed).
  for (const skipped of skippedFiles) io.stderr.write(`${forTerminal(formatSkipped(skipped))}\n`);
  if (library.counts().sources === 0) {
    const skipped = skippedFiles.length === 0 ? '' : ` (${skippedFiles.length === 1 ? 'one file' : `${skippedFiles.length} files`} skipped, see above)`;
    const message = forTerminal(formatNoArticles(where, `no usable .txt, .md or .html article${skipped}.`));
    if (needArticles) throw new Error(message);
    // Listing none is a fine answer for `sources`; stdout stays empty for --json, the person still learns where it looked.
    io.stderr.write(`${message}\n`);
  }
  return library;
}

/** The source `--source NAME` means; unknown or ambiguous names fail with the near matches. */
function namedSource(library: Library, name: string | undefined): SourceInfo | undefined {
  if (name === undefined) return undefined;
  const lookup = library.resolveSource(name);
  if (lookup.kind !== 'found') throw new Error(formatSourceLookup(lookup, STYLE));
  return lookup.source;
}

function hitJson(hit: Hit) {
  const json: Record<string, unknown> = {
    source: hit.source, title: hit.title, url: hit.url ?? null, sentence: hit.sentence, text: hit.text, score: hit.score,
  };
  if (hit.context !== undefined) json.context = hit.context;
  return json;
}

function answerOutput(answer: Answer, json: boolean, scope: SourceInfo | undefined): string {
  if (json) {
    return JSON.stringify({
      question: answer.question,
      answered: answer.answered,
      confident: answer.confident,
      ...(answer.followUp ? { followUp: answer.followUp.source } : {}),
      hits: answer.hits.map(hitJson),
    });
  }
  return forTerminal(`Q: ${answer.question}
${formatAnswer(answer, STYLE, scope)}
`);
}

function summaryOutput(summary: Summary, json: boolean): string {
  if (!json) return forTerminal(`${formatSummary(summary)}\n`);
  return JSON.stringify({ source: summary.source, title: summary.title, sentences: summary.sentences });
}

async function runAsk(positionals: string[], options: Options, io: CliIo): Promise<void> {
  allowOnly(options, ['source', 'top', 'conversation', 'guild'], 'ask');
  const top = positiveInteger('top', options.top, 3, 50);
  const library = await openLibrary(options, io);
  const scope = namedSource(library, options.source);
  const ask = (question: string) => {
    write(io, answerOutput(library.ask(question, { source: scope?.id, top, ...(options.conversation ? { conversation: 'stdin' } : {}) }), options.json, scope));
  };
  if (positionals.length > 0) {
    ask(positionals.join(' '));
    return;
  }
  if (io.stdin.isTTY === true) io.stderr.write(`${STDIN_HINT}\n`);
  // Every line gets exactly one answer, in order (a blank one is declined as empty), so output lines up with input.
  for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) ask(line);
}

async function runSummary(options: Options, io: CliIo): Promise<void> {
  allowOnly(options, ['source', 'sentences', 'guild'], 'summary');
  const sentences = options.sentences === undefined ? SUMMARY_SENTENCES.default : Number(options.sentences);
  if (!isSummaryLength(sentences)) throw new UsageError(summaryLengthError(options.sentences ?? ''));
  const library = await openLibrary(options, io);
  const source = namedSource(library, options.source)?.id;
  for (const summary of library.summarize({ source, sentences })) write(io, summaryOutput(summary, options.json));
}

async function runSources(options: Options, io: CliIo): Promise<void> {
  allowOnly(options, ['guild'], 'sources');
  const library = await openLibrary(options, io, false);
  const sources = library.sources();
  const marked = options.guild !== undefined;
  if (sources.length === 0) return;
  if (!options.json) {
    write(io, forTerminal(formatSources(sources, { marked })));
    return;
  }
  for (const source of sources) {
    const group = marked ? { shared: source.shared === true } : {};
    write(io, JSON.stringify({ source: source.id, title: source.title, url: source.url ?? null, sentences: source.sentences, ...group }));
  }
}

function runCache(options: Options, io: CliIo): void {
  allowOnly(options, [], 'cache');
  if (options.stats === options.clear) throw new UsageError('cache needs exactly one of --stats and --clear');
  const config = loadConfig();
  const cache = new AnalysisCache({ dir: analysisCacheDir({ dataDir: dataDirOf(options, config) }) });
  if (options.clear) {
    const removed = cache.clear();
    write(io, `Removed ${removed} cache ${removed === 1 ? 'file' : 'files'} from ${cache.dir}.`);
    return;
  }
  const files = cache.stats();
  if (options.json) {
    for (const file of files) write(io, JSON.stringify({ ...file, written: file.written.toISOString() }));
    return;
  }
  if (files.length === 0) {
    write(io, `The analysis cache in ${cache.dir} is empty.`);
    return;
  }
  for (const file of files) {
    const what = file.problem === undefined ? `${file.documents} articles, ${file.sentences} sentences (${file.source})` : `unusable: ${file.problem}`;
    write(io, `${file.file}  ${(file.bytes / 1048576).toFixed(1)} MB  ${what}  written ${file.written.toISOString()}`);
  }
  const bytes = files.reduce((total, file) => total + file.bytes, 0);
  write(io, `${files.length} ${files.length === 1 ? 'file' : 'files'}, ${(bytes / 1048576).toFixed(1)} MB in ${cache.dir}`);
}

function write(io: CliIo, line: string): void {
  io.stdout.write(`${line}\n`);
}

/**
 * The analysis caches this run opened. A library writes its cache in the background; `runCli` returns only
 * once those writes have landed, so a caller running it in-process (a test) may remove DATA_DIR at once.
 */
const openedCaches = new Set<AnalysisCache>();

export async function runCli(argv: string[], io: CliIo = process): Promise<number> {
  try {
    return await runCommand(argv, io);
  } finally {
    const caches = [...openedCaches];
    openedCaches.clear();
    await Promise.all(caches.map((cache) => cache.settled()));
  }
}

async function runCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    // Its own options (--guild, --days, --db), parsed by its own module.
    if (argv[0] === 'insights' && !argv.includes('--help') && !argv.includes('-h')) {
      // Loaded only here: the database module costs every other command time for nothing.
      const { runInsightsCommand } = await import('./insights/cli');
      const output = runInsightsCommand(argv.slice(1));
      if (output !== '') write(io, output);
      return 0;
    }
    const { command, positionals, options } = parseCommandLine(argv);
    if (options.help) {
      write(io, USAGE);
      return 0;
    }
    if (command !== 'ask' && positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (command !== 'cache' && (options.stats || options.clear)) throw new UsageError(`--${options.stats ? 'stats' : 'clear'} goes only with "cache"`);
    if (command === 'ask') await runAsk(positionals, options, io);
    else if (command === 'summary') await runSummary(options, io);
    else if (command === 'sources') await runSources(options, io);
    else if (command === 'cache') runCache(options, io);
    else throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof InsightsUsageError) {
      io.stderr.write(`error: ${error.message}

${USAGE}
`);
      return 2;
    }
    if (error instanceof UnknownSourceError) {
      io.stderr.write(`error: ${error.message} Run "sources" to list them.\n`);
      return 1;
    }
    io.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

/** True when this file is the program being run, not a module a test imported. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // A reader that closes early (`| head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  loadDotenv();
  // No top-level await: the launcher runs this module as one CommonJS bundle (with V8's code cache), which has none.
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
