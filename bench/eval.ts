/**
 * Answer and summary quality: the project's engine beside natural's TfIdf (QA) and Lead-3 (summaries).
 * Run `npx tsx bench/eval.ts --help` for the options and the exact definitions of every figure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { capQuestions, loadQaFile, loadSummaryFile, sliceArticles, sourceKey, type QaArticle } from './eval/data';
import { EVAL_API } from './eval/engine-api';
import { hashSeed, mulberry32 } from './eval/metrics';
import {
  breakdownTable,
  checkTargets,
  formatChecked,
  formatMisses,
  mainTable,
  overviewTable,
  paraphraseCheck,
  pct,
  sampleMisses,
  setName,
  sourceTable,
  type TargetCheck,
} from './eval/report';
import { runQa, runSummaries, type QaResult, type SummaryFigures } from './eval/run';

const DEFAULT_QA = 'data/qa-squad-xquad-dev.json';

const HELP = `Usage: npx tsx bench/eval.ts [options]      (npm run eval -- [options])

Options:
  --qa FILE[,FILE]   QA data; repeatable, or a comma-separated list: every set is measured in one run
                     (default data/qa-squad-xquad-dev.json; "none" to skip QA)
  --summaries FILE   summary data, e.g. CNN/DailyMail (default: no summary evaluation)
  --slice SPEC       QA articles to use: comma-separated terms, each a source key (squad, xquad,
                     wikiqa) with optional :N = its first N articles in file order, or any other text =
                     articles whose id or title contains it. E.g. "squad:2,xquad:4" or "Warsaw"
  --questions N      at most the first N questions of each QA article
  --summary-limit N  only the first N summary articles
  --offtopic K       off-topic questions per article (default 5)
  --seed S           seed for off-topic sampling and failure samples (default "eval")
  --no-all           skip the all-articles index
  --no-breakdown     do not print the miss breakdown
  --failures N       print N sample misses (seeded pick): question, gold, our top hit, gold sentence
  --json FILE        write the figures of every set as JSON
  --check            exit with status 1 when a target fails
  -h, --help         this text

Definitions:
  Sentences are our own: every article goes through parseArticle (text under a "title:" front matter),
  and both the engine and the baselines rank exactly those sentences.
  Holds the answer (bench/answer-match.ts, shared with npm run bench and tests/engine/quality.test.ts):
    after NFKC, lowercasing and collapsing whitespace, a sentence holds the answer when it
    contains one of the question's gold strings at word boundaries (a gold starting/ending with a letter
    or digit may not continue a word: "ten" does not match in "often"). WikiQA golds are whole
    sentences (TrecQA's too): there the sentence contains the gold OR the gold contains it.
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
  Confident (when the engine says): of the reachable questions marked confident (answered and
    confident), the share right at top-1 (precision); the share of reachable questions marked confident
    (coverage); the share of unanswerable questions, asked of their own article, marked confident.
  Full ranking (TrecQA, whose articles are one question's candidate sentences): every sentence ranked
    (the engine's hits, then the sentences it did not score, in order); per question with at least one
    correct candidate, average precision and reciprocal rank; MAP and MRR are their means.
  Miss breakdown: over reachable questions, top-1 (answered and right) and the misses as declined /
    wrong sentence of the right article, and with all articles: declined / first hit from another
    article / wrong sentence of the right article; grouped by the question's first wh-word (yes/no when
    it opens with an auxiliary) and by the most content words (plain BM25's analysis) that one gold
    sentence shares with the question.
  Other sets' questions: 300 questions drawn (seeded) from the other sets of the run, asked of this
    set's all-articles index; a decline is right.
  Conversations (when the engine offers them): all articles in one index, each article's questions asked
    in a row as one conversation; top-k as for all articles.
  plain BM25: k1 1.2, b 0.75, Lucene's IDF, one document per sentence of ours, natural's WordTokenizer,
    natural's stop words removed, Porter stems. It never declines.
  natural TfIdf: natural's TfIdf (lib/natural/tfidf/tfidf), one document per sentence of ours,
    tfidfs(question), sorted by score (ties: earlier first), top 10. It never declines (n/a).
  Summaries: an engine per article, summarize({source, sentences: 3}); Lead-3 = the first 3 of our
    sentences; reference = the article's highlights joined with spaces. ROUGE-1/2/L F1 as in rouge-score
    with use_stemmer: lowercase, split on anything but a-z0-9, Porter-stem tokens longer than 3 letters
    (natural's stemmer), no stop-word removal; ROUGE-N counts clipped n-gram overlaps; ROUGE-L is one
    LCS over the whole summary and the whole reference (rouge-score's rougeL, not rougeLsum). Each
    score is averaged over articles (macro); ratio = project / Lead-3.
  Targets: by set name (the file name without .json), issue 10's for qa-dev, qa-dev-newsqa,
    qa-dev-trecqa and qa-dev-squadpara (within 0.5 point of qa-dev-squadpara-orig at top-1 when both are
    in the run); any other set: one article top-1 ≥ 75%, top-3 ≥ 90%, MRR ≥ 0.82, false declines
    ≤ 3%, off-topic declined ≥ 97%; all articles top-1 ≥ 72%, top-3 ≥ 87%. Summaries: each ROUGE
    ≥ Lead-3 and ROUGE-1 ≥ 1.03× Lead-3. Compared on the unrounded figure, printed with the decimals it
    takes for the printed figure to agree with the verdict.
`;

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} expects a non-negative integer, got "${value}"`);
  return n;
}

interface SetRun {
  file: string;
  name: string;
  qa: QaResult;
  checks: TargetCheck[];
  ms: number;
}

/** `--qa` values: repeatable, each also a comma-separated list. */
function qaFiles(values: string[] | undefined): string[] {
  const files = (values ?? [DEFAULT_QA]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return files.includes('none') ? [] : files;
}

/** A seeded sample of the other sets' questions, asked of this set's all-articles index. */
function foreignQuestions(loaded: readonly { file: string; articles: QaArticle[] }[], file: string, seed: string, max = 300): string[] {
  const pool = loaded.filter((l) => l.file !== file).flatMap((l) => l.articles.flatMap((a) => a.questions.map((q) => q.question)));
  const random = mulberry32(hashSeed(`${seed}:foreign:${file}`));
  const order = pool.map((q) => ({ q, r: random() })).sort((x, y) => x.r - y.r);
  return order.slice(0, max).map((x) => x.q);
}

function main(): number {
  const { values } = parseArgs({
    options: {
      qa: { type: 'string', multiple: true },
      summaries: { type: 'string' },
      slice: { type: 'string' },
      questions: { type: 'string' },
      'summary-limit': { type: 'string' },
      offtopic: { type: 'string' },
      seed: { type: 'string', default: 'eval' },
      'no-all': { type: 'boolean', default: false },
      'no-breakdown': { type: 'boolean', default: false },
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
  const started = performance.now();
  const files = qaFiles(values.qa);
  const loaded = files.map((file) => {
    const all = loadQaFile(file);
    const articles = capQuestions(sliceArticles(all, values.slice), positiveInt('questions', values.questions));
    if (articles.length === 0) throw new Error(`--slice "${values.slice ?? ''}" selects no article of ${file}`);
    return { file, articles };
  });

  const runs: SetRun[] = [];
  const ms = (x: number): string => `${(x / 1000).toFixed(2)} s`;
  for (const { file, articles } of loaded) {
    const t = performance.now();
    const qa = runQa(EVAL_API, articles, {
      offTopicPerArticle: positiveInt('offtopic', values.offtopic) ?? 5,
      seed,
      skipAllArticles: values['no-all'],
      fullRanking: articles.every((a) => sourceKey(a.source) === 'trecqa'),
      foreignQuestions: foreignQuestions(loaded, file, seed),
      conversations: true,
    });
    const name = setName(file);
    const checks = checkTargets(qa.overall, undefined, name);
    runs.push({ file, name, qa, checks, ms: performance.now() - t });
  }
  const para = runs.find((r) => r.name === 'qa-dev-squadpara');
  const orig = runs.find((r) => r.name === 'qa-dev-squadpara-orig');
  if (para && orig) para.checks.push(paraphraseCheck(para.qa.overall, orig.qa.overall));

  let summaries: SummaryFigures | undefined;
  if (values.summaries !== undefined) {
    const all = loadSummaryFile(values.summaries);
    const limit = positiveInt('summary-limit', values['summary-limit']);
    summaries = runSummaries(EVAL_API, limit === undefined ? all : all.slice(0, limit), 3);
  }
  const summaryChecks = checkTargets(undefined, summaries);

  for (const run of runs) {
    console.log(`== ${run.name} — QA ${run.file}${values.slice ? ` (slice ${values.slice})` : ''}\n`);
    console.log(mainTable(run.qa, undefined, run.checks));
    if (Object.keys(run.qa.bySource).length > 1) {
      console.log('');
      console.log(sourceTable(run.qa, undefined));
    }
    if (!values['no-breakdown']) {
      console.log('');
      console.log(breakdownTable(run.qa.records));
    }
    console.log('');
    console.log(targetLine(run.checks));
    const tm = run.qa.timings;
    const timing = [`parse ${ms(tm.parseMs)}`, `project per-article ${ms(tm.projectMs)}`, `baselines per-article ${ms(tm.tfidfMs)}`];
    if (!values['no-all']) timing.push(`project all ${ms(tm.projectAllMs)}`, `baselines all ${ms(tm.tfidfAllMs)}`);
    console.log(`Time: ${ms(run.ms)} (${timing.join(', ')})\n`);
    const failures = positiveInt('failures', values.failures);
    if (failures !== undefined && failures > 0) {
      console.log(formatMisses(sampleMisses(run.qa.misses, failures, seed), run.qa.misses.length));
      console.log('');
    }
  }
  if (summaries) {
    console.log(`== summaries ${values.summaries}\n`);
    console.log(mainTable(undefined, summaries, summaryChecks));
    console.log('');
    console.log(targetLine(summaryChecks));
    console.log('');
  }
  if (runs.length > 1) {
    console.log('== every set, one article at a time unless "all"\n');
    console.log(overviewTable(runs.map((r) => ({ name: r.name, qa: r.qa.overall, checks: r.checks }))));
    if (para && orig) {
      const c = para.checks.find((x) => x.metric === 'qa.paraphrase.top1Gap');
      if (c) console.log(`\nParaphrased SQuAD top-1 ${pct(para.qa.overall.project.perArticle.top1)} vs original ${pct(orig.qa.overall.project.perArticle.top1)}: gap ${formatChecked(c)} (target ${c.target}) ${c.pass ? 'PASS' : 'FAIL'}`);
    }
    console.log('');
  }
  const allChecks = [...runs.flatMap((r) => r.checks), ...summaryChecks];
  const failed = allChecks.filter((c) => !c.pass);
  const totalMs = performance.now() - started;
  console.log(`All targets: ${allChecks.length - failed.length}/${allChecks.length} pass. Time: ${ms(totalMs)}`);

  if (values.json !== undefined) {
    const out = {
      generatedAt: new Date().toISOString(),
      options: { ...values, json: undefined },
      sets: runs.map((r) => ({
        file: r.file,
        name: r.name,
        overall: r.qa.overall,
        bySource: r.qa.bySource,
        misses: r.qa.misses.length,
        timings: r.qa.timings,
        targets: r.checks,
      })),
      summaries: summaries ?? null,
      summaryTargets: summaryChecks,
      totalMs,
    };
    mkdirSync(dirname(values.json), { recursive: true });
    writeFileSync(values.json, `${JSON.stringify(out, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? null : v), 2)}\n`);
    console.log(`\nFigures written to ${values.json}`);
  }
  return values.check && failed.length > 0 ? 1 : 0;
}

function targetLine(checks: readonly TargetCheck[]): string {
  const failed = checks.filter((c) => !c.pass);
  return (
    `Targets: ${checks.length - failed.length}/${checks.length} pass` +
    (failed.length > 0 ? ` — failing: ${failed.map((c) => `${c.metric} ${formatChecked(c)} (${c.target})`).join(', ')}` : '')
  );
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
}
