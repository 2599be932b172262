/**
 * Error analysis of the confident answers that are wrong (issue 10), one article at a time:
 *
 * - by default, the SQuAD 2.0 unanswerable questions of qa-dev asked of their own article and marked
 *   confident, printed with the first sentence, so that a sample can be labelled by the question-writing
 *   strategy of Rajpurkar et al. 2018 ("Know What You Don't Know": negation, antonym, entity swap, mutual
 *   exclusion, impossible condition, other neutral);
 * - `--confident-wrong`: the answerable questions of any set marked confident whose first sentence holds
 *   no gold answer, with the gold answers and the first sentence that holds one, and how many of them have
 *   it in a neighbour of the first sentence or among the first three.
 *
 * `--sample N` prints N of them, picked by a hash of the question (the same N every run); `--all` every one.
 *
 *   npx tsx bench/eval/confidence-nearmiss.ts --qa ../shared/data/qa-dev.json --sample 60
 *   npx tsx bench/eval/confidence-nearmiss.ts --qa ../shared/data/qa-dev-newsqa.json --confident-wrong --sample 25
 */
import { parseArgs } from 'node:util';
import { answerQuestion, DEFAULT_ANSWER } from '../../src/engine/answer';
import { DEFAULT_RANKING } from '../../src/engine/ranking';
import { loadQaFile, sourceKey } from './data';
import { hashSeed } from './metrics';
import { RANK_DEPTH } from './run';
import { prepareSet, rankerFor } from './tuning';

interface Found {
  key: number;
  title: string;
  question: string;
  first: string;
  gold?: string;
  goldSentence?: string;
}

function main(): void {
  const { values } = parseArgs({
    options: { qa: { type: 'string' }, sample: { type: 'string', default: '60' }, all: { type: 'boolean', default: false }, 'confident-wrong': { type: 'boolean', default: false } },
  });
  if (values.qa === undefined) throw new Error('--qa FILE is required');
  const wrongMode = values['confident-wrong'];
  const raw = loadQaFile(values.qa);
  const set = prepareSet(values.qa);
  const settings = { ranking: DEFAULT_RANKING, answer: DEFAULT_ANSWER };
  const found: Found[] = [];
  let asked = 0;
  let confident = 0;
  let goldNear = 0;
  let goldTop3 = 0;
  set.articles.forEach((article, i) => {
    if (!wrongMode && sourceKey(raw[i]!.source) !== 'squad') return;
    const ranker = rankerFor(article.index, settings);
    const scope = { from: 0, to: article.index.sentenceCount };
    article.questions.forEach((q, j) => {
      if (wrongMode ? !q.reachable : q.answerable) return;
      asked++;
      const answer = answerQuestion(ranker, q.question, { top: RANK_DEPTH, scope }, settings.answer);
      if (!answer.answered || !answer.confident) return;
      confident++;
      const at = answer.hits[0]!.sentence - 1;
      if (wrongMode && q.held[at] === true) return;
      const sentences = article.doc.sentences;
      const entry: Found = { key: hashSeed(`nearmiss:${q.question}`), title: article.doc.title ?? '', question: q.question, first: sentences[at] ?? '' };
      if (wrongMode) {
        if (q.held[at - 1] === true || q.held[at + 1] === true) goldNear++;
        if (answer.hits.slice(0, 3).some((hit) => q.held[hit.sentence - 1] === true)) goldTop3++;
        entry.gold = raw[i]!.questions[j]!.answers.join(' | ');
        entry.goldSentence = sentences[q.held.indexOf(true)] ?? '';
      }
      found.push(entry);
    });
  });
  if (wrongMode) {
    console.log(`reachable questions of ${values.qa}: ${asked}, marked confident ${confident}, of those wrong ${found.length} (gold in a neighbour of the first sentence ${goldNear}, among the first three ${goldTop3})`);
  } else {
    console.log(`SQuAD 2.0 unanswerable questions of ${values.qa}: ${asked}, marked confident ${confident} (${((100 * confident) / asked).toFixed(1)} %)`);
  }
  const picked = values.all ? found : [...found].sort((a, b) => a.key - b.key).slice(0, Number(values.sample));
  picked.forEach((f, k) => {
    console.log(`\n#${k + 1} [${f.title}] Q: ${f.question}${f.gold === undefined ? '' : `   gold: ${f.gold}`}`);
    console.log(`   first: ${f.first}`);
    if (f.goldSentence !== undefined) console.log(`   holds the answer: ${f.goldSentence}`);
  });
}

main();
