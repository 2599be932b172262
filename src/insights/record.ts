import type { Answer } from '../sources/library-types';
import type { AnswerRecord, AskedVia } from './types';

export interface AskedWhere {
  guildId: string;
  channelId: string;
  via: AskedVia;
}

/**
 * What is stored of an answer: the question, whether it was answered (and, once the engine says so,
 * whether confidently), the sentences shown, and nothing about who asked. A decline quotes nothing.
 */
export function answerRecord(answer: Answer & { confident?: boolean }, where: AskedWhere): AnswerRecord {
  const record: AnswerRecord = {
    ...where,
    question: answer.question,
    answered: answer.answered,
    quotes: answer.answered ? answer.hits.map((hit) => ({ source: hit.source, title: hit.title, sentence: hit.sentence, text: hit.text })) : [],
  };
  if (answer.confident !== undefined) record.confident = answer.confident;
  if (answer.declineReason !== undefined) record.declineReason = answer.declineReason;
  return record;
}
