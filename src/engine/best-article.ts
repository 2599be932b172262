import type { AnalysedQuery, Ranker, SearchResult } from './ranking';

export interface SentenceRange {
  from: number;
  to: number;
}

/**
 * All articles in one index: the search's result with its first sentence replaced by the one its best
 * article (the article of its first sentence) gives when the question is asked of that article alone. Asked alone, a question word the article lacks meets its
 * related words and near spellings there (`expansion.ts`), which the whole search does not look for when
 * another article has the word itself; so the article is answered from as it is in one-article mode.
 * The article is asked again only when that can change its first sentence: on the dev sets, every change
 * came from such a word (README "Quality"), and most questions have none, so most pay nothing.
 */
export function withinBestArticle(ranker: Ranker, query: AnalysedQuery, found: SearchResult, top: number): SearchResult {
  const { index } = ranker;
  const best = found.sentences[0];
  if (best === undefined || index.documents.length < 2) return found;
  const doc = index.sentenceDoc[best.sentence]!;
  const range = { from: index.docStart[doc]!, to: index.docStart[doc + 1]! };
  if (!expandsWithin(ranker, query, range)) return found;
  const alone = ranker.search(query, { ...range, top: 1 });
  const first = alone.sentences[0];
  if (first === undefined || first.sentence === best.sentence) return found;
  const rest = found.sentences.filter((s) => s.sentence !== first.sentence).slice(0, top - 1);
  // The fine type is the one the first sentence was ranked by (the confidence's type signals read it).
  return { sentences: [first, ...rest], scopeCoverage: found.scopeCoverage, unheldShare: found.unheldShare, fineType: alone.fineType };
}

/**
 * Whether the question asked of sentences [from, to) alone gets a related term or near spelling that the
 * whole search did not: a question word the index has but the range lacks, with a related word or a near
 * spelling the range holds. It mirrors `Ranker.withRelated`: a new kind of scoped expansion there must be
 * checked here too, or the questions it would change keep the whole search's first sentence (never worse
 * than before, only not better).
 */
export function expandsWithin(ranker: Ranker, query: AnalysedQuery, { from, to }: SentenceRange): boolean {
  const { index, expansion } = ranker;
  if (expansion === undefined) return false;
  return query.terms.some((term, of) => {
    if (term.of !== undefined || term.id < 0 || index.holdsTermIn(term.id, from, to)) return false;
    for (let k = 0; k < query.related.length; k++) {
      if (query.related[k]!.of !== of) continue;
      const id = ranker.relatedTermId(query, k);
      if (id >= 0 && index.holdsTermIn(id, from, to)) return true;
    }
    return expansion.spellingWeight > 0 && ranker.nearSpellingsOf(query, of, from, to).some((id) => id >= 0 && index.holdsTermIn(id, from, to));
  });
}
