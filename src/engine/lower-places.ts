import type { RankedSentence } from './ranking';

/**
 * The second and later places of an answer. The first sentence is the second stage's best; the places
 * below it matter only when that one is wrong, and then the sentence that answers more often says it in
 * other words than the question's (the first already holds the question's own words). So below the first,
 * each candidate also counts how close in meaning its words come to the question words it lacks (the soft
 * alignment of `Ranker`, word vectors), which as a bonus for the first place marked down right answers
 * (README "Quality": soft alignment, dropped). Measured: README "Quality", the lower places.
 */
/**
 * The first of `ranked` (best first by the second stage), then `places` more chosen from the others by
 * their score plus `bonusOf(k)` (k: the position in `ranked`; ties keep that order), then the rest in the
 * second stage's order: `top` in all. Only the first places are chosen so, as an answer shows three; the
 * long tail keeps the order of the evidence that found it. No bonus exceeds `maxBonus`, so a candidate
 * whose score is that far behind the places already chosen is not looked at, nor any after it (the bonus
 * reads the sentence's words). A chosen place's score is the one it was placed by, but never above the
 * place before it (the first place is the second stage's whatever the others' bonus), so the scores of the
 * answer still fall from first to last; every other score is the second stage's. The confidence reads the
 * second stage's runner-up (`SearchResult.runnerUp`).
 */
export function orderLowerPlaces(
  ranked: readonly RankedSentence[],
  bonusOf: (k: number) => number,
  maxBonus: number,
  places: number,
  top: number,
  /** Only the first this many of `ranked` (the first included) are looked at for the places. */
  pool = ranked.length,
): RankedSentence[] {
  if (ranked.length === 0 || top <= 0) return [];
  const chosen: { k: number; placed: number }[] = [];
  for (let k = 1; k < Math.min(ranked.length, pool); k++) {
    const score = ranked[k]!.score;
    const full = chosen.length >= places;
    if (full && (places <= 0 || score + maxBonus <= chosen[places - 1]!.placed)) break;
    const placed = score + bonusOf(k);
    if (full && placed <= chosen[places - 1]!.placed) continue;
    let at = chosen.length;
    while (at > 0 && chosen[at - 1]!.placed < placed) at--;
    chosen.splice(at, 0, { k, placed });
    if (chosen.length > places) chosen.pop();
  }
  const isChosen = new Set(chosen.map((c) => c.k));
  const out = [ranked[0]!];
  for (const { k, placed } of chosen) out.push({ ...ranked[k]!, score: Math.min(placed, out[out.length - 1]!.score) });
  for (let k = 1; k < ranked.length && out.length < top; k++) if (!isChosen.has(k)) out.push(ranked[k]!);
  return out.slice(0, top);
}
