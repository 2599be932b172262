import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { UnknownSourceError, type Library } from '../sources/library-types';
import { isSummaryLength, SUMMARY_SENTENCES, summaryLengthError } from '../sources/summary-length';
import { forTerminal } from '../text/terminal';
import { formatAnswer, formatNoArticles, formatReload, formatSourceLookup, formatSources, formatSummary, plural } from './format';

const HELP = `Ask a question about the loaded articles, or type a command:
  /summary [SOURCE] [N]   summary of every article, or of SOURCE (a file name or the start of a title),
                          in N sentences (${SUMMARY_SENTENCES.min} to ${SUMMARY_SENTENCES.max}, default ${SUMMARY_SENTENCES.default})
  /sources                the loaded articles
  /reload                 re-read the articles from disk
  /help                   this text
  /quit                   leave (Ctrl+D works too)`;

const NO_ARTICLES_ADVICE = 'add .txt, .md or .html article files there and type /reload.';

export interface ChatOptions {
  library: Library;
  input: Readable;
  output: Writable;
  /** Show a prompt and a greeting: true for a person at a terminal, false for piped input. */
  interactive: boolean;
  /** Where the articles are read from, to say where to put some when none are loaded. */
  sourcesPath?: string;
}

/**
 * The console chat: the same answers as the bot, with no Discord at all. With piped input it answers
 * each line in order, each after the line itself (`> question`), and resolves at end of input.
 */
export async function runChat({ library, input, output, interactive, sourcesPath }: ChatOptions): Promise<void> {
  const lines = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  // Answers, summaries and titles come from articles, which may carry terminal escapes (issue 15).
  const say = (text: string) => output.write(`${forTerminal(text)}\n`);
  if (interactive) {
    say(greeting(library, sourcesPath));
    lines.setPrompt('> ');
    lines.prompt();
  }
  let exchanges = 0;
  for await (const line of lines) {
    const reply = await respond(library, line.trim(), sourcesPath);
    if (reply === undefined) break;
    // A terminal shows what was typed; a transcript of piped input has to show it itself.
    if (!interactive && reply !== '') say(`${exchanges++ > 0 ? '\n' : ''}> ${line.trim()}`);
    if (reply !== '') say(reply);
    if (interactive) lines.prompt();
  }
  lines.close();
}

function greeting(library: Library, sourcesPath: string | undefined): string {
  const { sources, sentences } = library.counts();
  if (sources === 0) return `Article Q&A: ${formatNoArticles(sourcesPath, NO_ARTICLES_ADVICE)} /help lists the commands.`;
  return `Article Q&A: ${plural(sources, 'article')}, ${plural(sentences, 'sentence')}. Ask a question, or /help.`;
}


/** The console is one conversation: a follow-up is asked of the article of the previous answer. */
const CONSOLE_CONVERSATION = 'console';
/** The reply to one line; undefined means the user asked to leave. */
export async function respond(library: Library, line: string, sourcesPath?: string): Promise<string | undefined> {
  if (line === '') return '';
  const empty = library.counts().sources === 0;
  if (!line.startsWith('/')) return empty ? formatNoArticles(sourcesPath, NO_ARTICLES_ADVICE) : formatAnswer(library.ask(line, { conversation: CONSOLE_CONVERSATION }));
  const [command = '', ...args] = line.slice(1).split(/\s+/);
  switch (command.toLowerCase()) {
    case 'summary':
      return summaryReply(library, args, sourcesPath);
    case 'sources':
      return empty ? formatNoArticles(sourcesPath, NO_ARTICLES_ADVICE) : formatSources(library.sources());
    case 'reload':
      return formatReload(await library.reload());
    case 'help':
      return HELP;
    case 'quit':
    case 'exit':
      return undefined;
    default:
      return `Unknown command /${command}. Type /help for the list.`;
  }
}

/** `/summary [SOURCE] [N]`: a trailing number is the length, the rest names the source. */
function summaryReply(library: Library, args: string[], sourcesPath: string | undefined): string {
  let count: number = SUMMARY_SENTENCES.default;
  const last = args[args.length - 1];
  if (last !== undefined && /^[-+]?\d+(\.\d*)?$/.test(last)) {
    args.pop();
    count = Number(last);
    if (!isSummaryLength(count)) return summaryLengthError(last);
  }
  if (library.counts().sources === 0) return formatNoArticles(sourcesPath, NO_ARTICLES_ADVICE);
  let source: string | undefined;
  if (args.length > 0) {
    const lookup = library.resolveSource(args.join(' '));
    if (lookup.kind !== 'found') return formatSourceLookup(lookup);
    source = lookup.source.id;
  }
  try {
    return library.summarize({ source, sentences: count }).map(formatSummary).join('\n\n');
  } catch (error) {
    // A reload between the lookup and the summary removed it.
    if (error instanceof UnknownSourceError) return formatSourceLookup({ kind: 'unknown', name: error.sourceId, suggestions: [] });
    throw error;
  }
}
