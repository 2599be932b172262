/**
 * Error analysis of the near misses (issue 10): the SQuAD 2.0 unanswerable questions of qa-dev asked of
 * their own article and marked confident, printed with the first sentence, so that a sample can be
 * labelled by the question-writing strategy of Rajpurkar et al. 2018 ("Know What You Don't Know":
 * negation, antonym, entity swap, mutual exclusion, impossible condition, other neutral). `--sample N`
 * prints N of them, picked by a hash of the question (the same N every run); `--all` prints every one.
 *
 *   npx tsx bench/eval/confidence-nearmiss.ts --qa ../shared/data/qa-dev.json --sample 60
 */
import { parseArgs } from 'node:util';
import { answerQuestion, DEFAULT_ANSWER } from '../../src/engine/answer';
import { DEFAULT_RANKING } from '../../src/engine/ranking';
import { loadQaFile, sourceKey } from './data';
import { hashSeed } from './metrics';
import { RANK_DEPTH } from './run';
import { prepareSet, rankerFor } from './tuning';

function main(): void {
  const { values } = parseArgs({ options: { qa: { type: 'string' }, sample: { type: 'string', default: '60' }, all: { type: 'boolean', default: false } } });
  if (values.qa === undefined) throw new Error('--qa FILE is required');
  const raw = loadQaFile(values.qa);
  const set = prepareSet(values.qa);
  const settings = { ranking: DEFAULT_RANKING, answer: DEFAULT_ANSWER };
  const found: { key: number; question: string; first: string; before: string; after: string; title: string }[] = [];
  let unanswerable = 0;
  let confident = 0;
  set.articles.forEach((article, i) => {
    if (sourceKey(raw[i]!.source) !== 'squad') return;
    const ranker = rankerFor(article.index, settings);
    const scope = { from: 0, to: article.index.sentenceCount };
    for (const q of article.questions) {
      if (q.answerable) continue;
      unanswerable++;
      const answer = answerQuestion(ranker, q.question, { top: RANK_DEPTH, scope }, settings.answer);
      if (!answer.answered || !answer.confident) continue;
      confident++;
      const at = answer.hits[0]!.sentence - 1;
      const sentences = article.doc.sentences;
      found.push({ key: hashSeed(`nearmiss:${q.question}`), question: q.question, first: sentences[at] ?? '', before: sentences[at - 1] ?? '', after: sentences[at + 1] ?? '', title: article.doc.title ?? '' });
    }
  });
  console.log(`SQuAD 2.0 unanswerable questions of ${values.qa}: ${unanswerable}, marked confident ${confident} (${((100 * confident) / unanswerable).toFixed(1)} %)`);
  const picked = values.all ? found : [...found].sort((a, b) => a.key - b.key).slice(0, Number(values.sample));
  picked.forEach((f, k) => {
    console.log(`\n#${k + 1} [${f.title}] Q: ${f.question}`);
    console.log(`   first: ${f.first}`);
  });
}

main();
