import type { Answer, DeclineReason, Hit } from '../engine/types';

/** The more informative of two decline reasons: a weak match says more than no match at all. */
const DECLINE_ORDER: DeclineReason[] = ['weak-match', 'no-match', 'empty-question'];

/**
 * One answer from the answers of separate indexes over the same question (a server's own articles and the
 * shared ones). An index that answered comes before one that declined, so the first sentence is never a
 * declined index's guess; within each, hits go by score. Answered when any index answered.
 */
export function mergeAnswers(question: string, answers: readonly Answer[], top: number): Answer {
  const answered = answers.filter((answer) => answer.answered);
  const byScore = (list: readonly Answer[]): Hit[] => list.flatMap((answer) => answer.hits).sort((a, b) => b.score - a.score);
  const hits = [...byScore(answered), ...byScore(answers.filter((answer) => !answer.answered))].slice(0, top);
  // Confident when the index whose sentence comes first is confident of it.
  if (answered.length > 0) return { question, answered: true, confident: answered.some((answer) => answer.confident && answer.hits[0] === hits[0]), hits };
  const reasons = answers.map((answer) => answer.declineReason).filter((reason): reason is DeclineReason => reason !== undefined);
  const declineReason = DECLINE_ORDER.find((reason) => reasons.includes(reason)) ?? 'no-match';
  return { question, answered: false, confident: false, hits, declineReason };
}
