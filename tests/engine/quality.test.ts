/**
 * Regression floor for answer quality, on a fixed slice of the project's own eval data
 * (data/qa-squad-xquad-dev.json: the first 2 SQuAD 2.0 articles capped at 100 questions each, and the
 * first 4 XQuAD articles). The floors sit a margin below what the engine scored when they were set;
 * `npm run eval -- --slice squad:2,xquad:4 --questions 100 --offtopic 20 --seed quality` prints the
 * current figures.
 * Definitions: see `npx tsx bench/eval.ts --help`.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { capQuestions, loadQaFile, sliceArticles } from '../../bench/eval/data';
import { EVAL_API } from '../../bench/eval/engine-api';
import { runQa } from '../../bench/eval/run';

const DATA = fileURLToPath(new URL('../../data/qa-squad-xquad-dev.json', import.meta.url));
const SLICE = 'squad:2,xquad:4';
const QUESTIONS_PER_ARTICLE = 100;
const OFF_TOPIC_PER_ARTICLE = 20;

/**
 * Floors (and one ceiling), about 5 points below (above) what the engine scored on this slice when they
 * were set (top-1 66.7%, top-3 82.1%, all-articles top-1 63.3% and top-3 79.2%, off-topic declined 88.3%,
 * false declines 3.4%). Checked again in session 6, after the unheld-word decline and the prefix
 * spellings (which this slice does not exercise: the same figures before and after): top-1 67.6%, top-3
 * 82.1%, all-articles 64.3% / 79.7%, off-topic declined 88.3%, false declines 3.4%, as conversations
 * 65.2%. The slice is harder than the whole dev set. Session 8, with the places below the first chosen by
 * `lower-places.ts`: top-3 82.1 → 83.1%, all-articles top-3 79.7 → 82.1% (the other figures unchanged).
 */
const FLOOR = {
  perArticleTop1: 0.6,
  perArticleTop3: 0.78,
  allArticlesTop1: 0.58,
  allArticlesTop3: 0.77,
  offTopicDeclined: 0.84,
  /** Without a ceiling on false declines, declining everything would pass the off-topic floor. */
  falseDeclinesMax: 0.1,
  /**
   * Confident answers right at top-1 81.6 %, covering 68.1 %; unanswerable marked confident 41.2 % (the model
   * refitted on the meaning expansion's ranking; before it 81.9 %, 66.7 %, 39.2 %). The near-miss and
   * negation signals keep most of this slice's SQuAD 2.0 unanswerable questions unsure (before them 81.3 %,
   * 69.6 % and 53.6 %). Session 8, with the type signals reading the fine type: 81.7 %, 68.6 %, 41.2 %.
   */
  confidentPrecision: 0.77,
  confidentCoverage: 0.61,
  unanswerableConfidentMax: 0.45,
  /** All articles, each article's questions as one conversation: top-1 63.8 %. */
  conversationTop1: 0.58,
};

const articles = capQuestions(sliceArticles(loadQaFile(DATA), SLICE), QUESTIONS_PER_ARTICLE);
const { overall } = runQa(EVAL_API, articles, { offTopicPerArticle: OFF_TOPIC_PER_ARTICLE, seed: 'quality', conversations: true });

describe('answer quality on a fixed SQuAD/XQuAD slice', () => {
  it('uses the slice the floors were set on', () => {
    expect(overall.articles).toBe(6);
    expect(overall.questions).toBe(304);
    expect(overall.reachable).toBe(207);
    expect(overall.offTopicAsked).toBe(OFF_TOPIC_PER_ARTICLE * 6);
  });

  it('ranks a gold sentence first or in the top 3, one article at a time', () => {
    expect(overall.project.perArticle.top1).toBeGreaterThanOrEqual(FLOOR.perArticleTop1);
    expect(overall.project.perArticle.top3).toBeGreaterThanOrEqual(FLOOR.perArticleTop3);
  });

  it('ranks a gold sentence of the right article first or in the top 3, all articles in one index', () => {
    expect(overall.project.allArticles.top1).toBeGreaterThanOrEqual(FLOOR.allArticlesTop1);
    expect(overall.project.allArticles.top3).toBeGreaterThanOrEqual(FLOOR.allArticlesTop3);
  });

  it('declines questions about other articles, without declining the answerable ones', () => {
    expect(overall.project.offTopicDeclined).toBeGreaterThanOrEqual(FLOOR.offTopicDeclined);
    expect(overall.project.falseDeclines).toBeLessThanOrEqual(FLOOR.falseDeclinesMax);
  });

  it('is right when it says it is confident, and mostly not confident of unanswerable questions', () => {
    const confidence = overall.project.confidence;
    expect(confidence).toBeDefined();
    expect(confidence!.precision).toBeGreaterThanOrEqual(FLOOR.confidentPrecision);
    expect(confidence!.coverage).toBeGreaterThanOrEqual(FLOOR.confidentCoverage);
    expect(confidence!.unanswerableConfident).toBeLessThanOrEqual(FLOOR.unanswerableConfidentMax);
  });

  it('keeps its all-articles accuracy when the questions come as conversations', () => {
    expect(overall.project.conversation?.top1).toBeGreaterThanOrEqual(FLOOR.conversationTop1);
  });
});
