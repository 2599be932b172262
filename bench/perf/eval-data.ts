/** The evaluation questions: loading, and whether a returned sentence holds a gold answer. */
import { readFileSync } from 'node:fs';
import { holdsAnswer, matchModeForSource, type MatchMode } from '../answer-match';
import type { QaArticle, QaQuestion } from '../eval/data';

export type { QaArticle, QaQuestion };

/** A question as the benchmark runs it. */
export interface BenchQuestion {
  id: string;
  question: string;
  /** The article it is about (its document id in the corpus). */
  docId: string;
  /** Gold answers as the data gives them; empty when unanswerable. */
  answers: string[];
  /** How a sentence is matched against them (spans, or whole gold sentences). */
  mode: MatchMode;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and checks the QA file's shape: `[{id, title, source, text, questions: [...]}]`. */
export function parseQa(json: string, label = 'QA file'): QaArticle[] {
  const data: unknown = JSON.parse(json);
  if (!Array.isArray(data)) throw new Error(`${label}: expected a JSON array of articles`);
  return data.map((item: unknown, i) => {
    if (!isRecord(item) || typeof item.id !== 'string' || typeof item.text !== 'string' || !Array.isArray(item.questions)) {
      throw new Error(`${label}: article ${i} lacks id/text/questions`);
    }
    const questions = item.questions.map((q: unknown, j): QaQuestion => {
      if (!isRecord(q) || typeof q.question !== 'string' || !Array.isArray(q.answers)) {
        throw new Error(`${label}: article ${item.id as string} question ${j} lacks question/answers`);
      }
      const answers = q.answers.filter((a): a is string => typeof a === 'string');
      return {
        id: typeof q.id === 'string' ? q.id : `${item.id as string}#${j}`,
        question: q.question,
        answers,
        answerable: q.answerable === undefined ? answers.length > 0 : q.answerable === true,
      };
    });
    return {
      id: item.id,
      title: typeof item.title === 'string' ? item.title : item.id,
      source: typeof item.source === 'string' ? item.source : '',
      text: item.text,
      questions,
    };
  });
}

export function loadQa(file: string): QaArticle[] {
  return parseQa(readFileSync(file, 'utf8'), file);
}

/**
 * True when the sentence holds one of the question's gold answers: the evaluation's own definition
 * (bench/answer-match.ts), so the benchmark's top-1 and the eval's measure the same thing.
 */
export function containsAnswer(sentence: string | undefined, question: Pick<BenchQuestion, 'answers' | 'mode'>): boolean {
  return sentence !== undefined && holdsAnswer(sentence, question.answers, question.mode);
}

/** Corpus document id of a QA article (ids like `squad2:Huguenot` made file-name safe). */
export function evalDocId(articleId: string): string {
  return `eval-${articleId.replace(/[^A-Za-z0-9_-]+/g, '_')}`;
}

/** All questions of the QA data, each tied to its article's document id. */
export function benchQuestions(articles: readonly QaArticle[]): BenchQuestion[] {
  return articles.flatMap((article) =>
    article.questions.map((q) => ({
      id: q.id,
      question: q.question,
      docId: evalDocId(article.id),
      answers: q.answerable ? [...new Set(q.answers.filter((a) => a.trim() !== ''))] : [],
      mode: matchModeForSource(article.source),
    })),
  );
}
