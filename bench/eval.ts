/**
 * Answer and summary quality: the project's engine beside natural's TfIdf (QA) and Lead-3 (summaries).
 * Run `npx tsx bench/eval.ts --help` for the options and the exact definitions of every figure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '../src/engine/engine';
import { parseArticle } from '../src/sources/parse';
import { capQuestions, loadQaFile, loadSummaryFile, sliceArticles } from './eval/data';
import { checkTargets, formatMisses, mainTable, sampleMisses, sourceTable } from './eval/report';
import { runQa, runSummaries, type EngineApi, type QaResult, type SummaryFigures } from './eval/run';

const HELP = `Usage: npx tsx bench/eval.ts [options]      (npm run eval -- [options])

Options:
  --qa FILE          QA data (default data/qa-squad-xquad-dev.json; "none" to skip QA)
  --summaries FILE   summary data, e.g. CNN/DailyMail (default: no summary evaluation)
  --slice SPEC       QA articles to use: comma-separated terms, each a source key (squad, xquad,
                     wikiqa) with optional :N = its first N articles in file order, or any other text =
                     articles whose id or title contains it. E.g. "squad:2,xquad:4" or "Warsaw"
  --questions N      at most the first N questions of each QA article
  --summary-limit N  only the first N summary articles
  --offtopic K       off-topic questions per article (default 5)
  --seed S           seed for off-topic sampling and failure samples (default "eval")
  --no-all           skip the all-articles index
  --failures N       print N sample misses (seeded pick): question, gold, our top hit, gold sentence
  --json FILE        write the figures as JSON
  --check            exit with status 1 when a target fails
  -h, --help         this text

Definitions:
  Sentences are our own: every article goes through parseArticle (text under a "title:" front matter),
  and both the engine and the baselines rank exactly those sentences.
  Holds the answer: after lowercasing and collapsing whitespace, a sentence holds the answer when it
    contains one of the question's gold strings at word boundaries (a gold starting/ending with a letter
    or digit may not continue a word: "ten" does not match in "often"). WikiQA golds are whole
    sentences: there the sentence contains the gold OR the gold contains the sentence.
  Reachable: an answerable question for which at least one of our sentences holds a gold answer;
    unreachable answerable questions are reported separately and excluded from top-k, MRR and false
    declines. Oracle = reachable / answerable (the ceiling if unreachable ones were counted).
  One article at a time: an engine per article; each question is asked of its own article
    (ask(q, {source, top: 10})). top-k = share of reachable questions whose first gold-holding hit is
    within the first k hits, declined or not; MRR@10 = mean of 1/rank of that hit (0 if not in the
    first 10). False declines = reachable answerable questions with answered=false. Declined
    (unanswerable) = questions the data marks unanswerable (SQuAD 2.0, WikiQA with no correct
    sentence) with answered=false; no target.
  Single gold sentence (info): top-1 over the reachable questions whose gold strings occur in exactly
    one of our sentences; short golds (a year, a name) often occur in several, and any of them counts.
  Off-topic: for each article, K questions of other articles (other id and other title; seeded by
    --seed and the article id; any question, answerable or not) asked of this article alone; a decline
    is correct. The rate is over all such questions.
  All articles in one index: one engine over every article; each reachable question asked without a
    source; a hit counts only if it is from the question's own article and holds a gold answer.
  natural TfIdf: natural's TfIdf (lib/natural/tfidf/tfidf), one document per sentence of ours,
    tfidfs(question), sorted by score (ties: earlier first), top 10. It never declines (n/a).
  Summaries: an engine per article, summarize({source, sentences: 3}); Lead-3 = the first 3 of our
    sentences; reference = the article's highlights joined with spaces. ROUGE-1/2/L F1 as in rouge-score
    with use_stemmer: lowercase, split on anything but a-z0-9, Porter-stem tokens longer than 3 letters
    (natural's stemmer), no stop-word removal; ROUGE-N counts clipped n-gram overlaps; ROUGE-L is one
    LCS over the whole summary and the whole reference (rouge-score's rougeL, not rougeLsum). Each
    score is averaged over articles (macro); ratio = project / Lead-3.
  Targets: one article top-1 ≥ 75%, top-3 ≥ 90%, MRR ≥ 0.82, false declines ≤ 3%, off-topic declined
    ≥ 97%; all articles top-1 ≥ 72%, top-3 ≥ 87%; each ROUGE ≥ Lead-3 and ROUGE-1 ≥ 1.03× Lead-3.
`;

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} expects a non-negative integer, got "${value}"`);
  return n;
}

function main(): number {
  const { values } = parseArgs({
    options: {
      qa: { type: 'string', default: 'data/qa-squad-xquad-dev.json' },
      summaries: { type: 'string' },
      slice: { type: 'string' },
      questions: { type: 'string' },
      'summary-limit': { type: 'string' },
      offtopic: { type: 'string' },
      seed: { type: 'string', default: 'eval' },
      'no-all': { type: 'boolean', default: false },
      failures: { type: 'string' },
      json: { type: 'string' },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const seed = values.seed;
  const api: EngineApi = { parseArticle: (id, raw) => parseArticle(id, raw), createEngine: (docs) => createEngine(docs) };
  const started = performance.now();

  let qa: QaResult | undefined;
  if (values.qa !== 'none') {
    const all = loadQaFile(values.qa);
    const articles = capQuestions(sliceArticles(all, values.slice), positiveInt('questions', values.questions));
    if (articles.length === 0) throw new Error(`--slice "${values.slice ?? ''}" selects no article of ${values.qa}`);
    qa = runQa(api, articles, {
      offTopicPerArticle: positiveInt('offtopic', values.offtopic) ?? 5,
      seed,
      skipAllArticles: values['no-all'],
    });
  }

  let summaries: SummaryFigures | undefined;
  if (values.summaries !== undefined) {
    const all = loadSummaryFile(values.summaries);
    const limit = positiveInt('summary-limit', values['summary-limit']);
    summaries = runSummaries(api, limit === undefined ? all : all.slice(0, limit), 3);
  }
  const totalMs = performance.now() - started;

  const checks = checkTargets(qa?.overall, summaries);
  const sources = [values.qa !== 'none' ? `QA ${values.qa}` : '', summaries ? `summaries ${values.summaries}` : '']
    .filter((s) => s !== '')
    .join('; ');
  console.log(`Answer and summary quality — ${sources}${values.slice ? ` (slice ${values.slice})` : ''}\n`);
  console.log(mainTable(qa, summaries, checks));
  console.log('');
  console.log(sourceTable(qa, summaries));
  console.log('');
  const failed = checks.filter((c) => !c.pass);
  console.log(
    `Targets: ${checks.length - failed.length}/${checks.length} pass` +
      (failed.length > 0 ? ` — failing: ${failed.map((c) => c.metric).join(', ')}` : ''),
  );
  const ms = (x: number): string => `${(x / 1000).toFixed(2)} s`;
  const timing: string[] = [];
  if (qa) {
    const t = qa.timings;
    timing.push(`parse ${ms(t.parseMs)}`, `project per-article ${ms(t.projectMs)}`, `TfIdf per-article ${ms(t.tfidfMs)}`);
    if (!values['no-all']) timing.push(`project all ${ms(t.projectAllMs)}`, `TfIdf all ${ms(t.tfidfAllMs)}`);
  }
  if (summaries) timing.push(`summaries ${ms(summaries.timings.parseMs + summaries.timings.projectMs)}`);
  console.log(`Time: ${ms(totalMs)} (${timing.join(', ')})`);

  const failures = positiveInt('failures', values.failures);
  if (qa && failures !== undefined && failures > 0) {
    console.log('');
    console.log(formatMisses(sampleMisses(qa.misses, failures, seed), qa.misses.length));
  }

  if (values.json !== undefined) {
    const out = {
      generatedAt: new Date().toISOString(),
      options: { ...values, json: undefined },
      qa: qa ? { overall: qa.overall, bySource: qa.bySource, misses: qa.misses.length, timings: qa.timings } : null,
      summaries: summaries ?? null,
      targets: checks,
      totalMs,
    };
    mkdirSync(dirname(values.json), { recursive: true });
    writeFileSync(values.json, `${JSON.stringify(out, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? null : v), 2)}\n`);
    console.log(`\nFigures written to ${values.json}`);
  }
  return values.check && failed.length > 0 ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
}
