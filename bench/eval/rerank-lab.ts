/**
 * A bench for second-stage ranking levers: every reachable question's 30 candidates (the engine's own,
 * `Ranker.explain`, one article at a time and all articles in one index), scored with the current weights
 * plus a candidate feature computed here from the question and the sentence's text, so a lever can be
 * measured on every set and both folds (`tuning.ts`) before it is built into the engine. Run from the
 * project root with the eval's --qa list:
 *
 *   npx tsx bench/eval/rerank-lab.ts --qa FILE[,FILE] [--misses N] [--weights 0.25,0.5,1]
 *
 * --misses N prints N wrong-sentence misses per set (question, first sentence, the best right one), for
 * error analysis; --diff counts, per weighted feature, how often it favours the wrong first sentence over
 * the right one below it. Top-1 here is the second stage's first sentence (declines and the best article asked
 * again are not applied), so it runs a little off the eval's figures; the lever's difference is what counts.
 */
import { readSynsets, WORDNET_DICT } from '../../scripts/wordnet-data';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hasNovel, questionType, sentenceFeatures } from '../../src/engine/answer-type';
import { backgroundFrequencies } from '../../src/engine/background';
import { DEFAULT_EXPANSION } from '../../src/engine/expansion';
import { DEFAULT_RANKING, Ranker, RERANK_FEATURES, rerankWeights, type AnalysedQuery } from '../../src/engine/ranking';
import type { SentenceIndex } from '../../src/engine/sentence-index';
import { terms } from '../../src/text/tokens';
import { questionWord } from './metrics';
import { forEachReachable, prepareSet, type AskMode, type Fold } from './tuning';

interface Candidate {
  sentence: number;
  base: number;
  right: boolean;
  text: string;
  /** The sentence's position in its article. */
  position: number;
  features: Float64Array;
  extra: Record<string, number>;
}

interface Group {
  set: string;
  mode: AskMode;
  fold: Fold;
  question: string;
  qword: string;
  candidates: Candidate[];
}

const textOf = (index: SentenceIndex, s: number): string =>
  index.documents[index.sentenceDoc[s]!]!.sentences[index.positionInDocument(s)] ?? '';

// ---------------------------------------------------------------------------------------------
// Candidate features (each returns a value per candidate; the group is all of the question's candidates)

type Lever = (question: string, query: AnalysedQuery, candidates: readonly { text: string; base: number; sentence: number; features: Float64Array }[], index: SentenceIndex) => number[];

/** The question's own terms in order (stop words out), as the index reads them. */
const ownTerms = (query: AnalysedQuery): string[] => query.terms.filter((t) => t.of === undefined && t.id >= 0).map((t) => t.term);
const idfOf = (query: AnalysedQuery): Map<string, number> => new Map(query.terms.filter((t) => t.of === undefined).map((t) => [t.term, t.idf]));

/** Unordered window (sequential dependence's second half): pairs of question terms, any two, within 8 words of each other. */
function windowPairs(width: number): Lever {
  return (_q, query, candidates) => {
    const own = ownTerms(query);
    const idf = idfOf(query);
    return candidates.map(({ text }) => {
      const toks = terms(text);
      const positions = new Map<string, number[]>();
      toks.forEach((t, k) => { if (idf.has(t)) (positions.get(t) ?? positions.set(t, []).get(t)!).push(k); });
      let bonus = 0;
      for (let i = 0; i < own.length; i++) for (let j = i + 1; j < own.length; j++) {
        const a = positions.get(own[i]!); const b = positions.get(own[j]!);
        if (a === undefined || b === undefined) continue;
        if (a.some((x) => b.some((y) => Math.abs(x - y) <= width))) bonus += (idf.get(own[i]!)! + idf.get(own[j]!)!) / 2;
      }
      return bonus / Math.max(1, query.meanIdf);
    });
  };
}

/** Ordered bigram (consecutive question terms adjacent in the same order in the sentence), in IDF units. */
const orderedBigram: Lever = (_q, query, candidates) => {
  const own = ownTerms(query);
  const idf = idfOf(query);
  return candidates.map(({ text }) => {
    const toks = terms(text);
    let bonus = 0;
    for (let i = 0; i + 1 < own.length; i++) {
      for (let k = 0; k + 1 < toks.length; k++) if (toks[k] === own[i] && toks[k + 1] === own[i + 1]) { bonus += (idf.get(own[i]!)! + idf.get(own[i + 1]!)!) / 2; break; }
    }
    return bonus / Math.max(1, query.meanIdf);
  });
};

/** Tightness: 1 / (1 + the shortest span of the sentence holding all the question terms it has, minus their count). */
const span: Lever = (_q, query, candidates) => {
  const idf = idfOf(query);
  return candidates.map(({ text }) => {
    const toks = terms(text);
    const hits: [number, string][] = [];
    toks.forEach((t, k) => { if (idf.has(t)) hits.push([k, t]); });
    const distinct = new Set(hits.map((h) => h[1])).size;
    if (distinct < 2) return 0;
    let best = Infinity;
    for (let i = 0; i < hits.length; i++) {
      const seen = new Set<string>();
      for (let j = i; j < hits.length; j++) {
        seen.add(hits[j]![1]);
        if (seen.size === distinct) { best = Math.min(best, hits[j]![0] - hits[i]![0] + 1); break; }
      }
    }
    return distinct / best;
  });
};

/**
 * Pseudo-relevance feedback in the searched text (RM3-like): the terms of the top `k` candidates by the
 * current score, each weighted by how many of them hold it (question terms left out), then each candidate's
 * share of that mass, in mean IDFs.
 */
function feedback(k: number): Lever {
  return (_q, query, candidates) => {
    const own = new Set(query.terms.map((t) => t.term));
    const ranked = [...candidates].sort((a, b) => b.base - a.base).slice(0, k);
    const weight = new Map<string, number>();
    ranked.forEach(({ text }, r) => {
      for (const t of new Set(terms(text))) if (!own.has(t)) weight.set(t, (weight.get(t) ?? 0) + 1 / (r + 1));
    });
    return candidates.map(({ text }) => {
      let sum = 0;
      for (const t of new Set(terms(text))) sum += weight.get(t) ?? 0;
      return Math.log1p(sum);
    });
  };
}

const DURATION = /\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|many)[- ](years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries)\b/i;
const AGE = /\b\d+[- ]years?[- ]old\b|\baged? (of )?\d+|\bat the age of\b|\(\d{1,3}\)|, \d{1,3}, /i;
const DISTANCE = /\b\d[\d,.]*\s?(-\s?)?(miles?|kilomet(er|re)s?|km|metres?|meters?|m|feet|foot|ft|yards?|inches|inch|cm|centimet(er|re)s?|mi)\b/i;
const SIZE = /\b\d[\d,.]*\s?(-\s?)?(square|sq|acres?|hectares?|km2|tons?|tonnes?|pounds?|lbs?|kilograms?|kg|grams?|feet|foot|ft|metres?|meters?|m|miles?|inches|stories|storeys|floors)\b/i;
const PERCENT = /\d\s?(%|percent|per cent)/i;
const SPEED = /\b\d[\d,.]*\s?(mph|km\/h|kph|miles per hour|kilometres per hour|knots)\b/i;
const MANNER = /\b(by|through|via|using|with the help of|thanks to|because)\b/i;

/** A finer answer type for "how long / old / far / big / fast / what percentage" and a manner for "how" questions. */
const fineType: Lever = (question, query, candidates) => {
  const q = question.toLowerCase();
  let pattern: RegExp | undefined;
  if (/\bhow long\b(?! ago)/.test(q) && !/\bhow long (is|was|are|were) the\b.*\b(river|bridge|road|wall|tunnel|line|coast|border)\b/.test(q)) pattern = DURATION;
  else if (/\bhow old\b|\bwhat age\b|\bat what age\b/.test(q)) pattern = AGE;
  else if (/\bhow (far|long is|tall|high|deep|wide)\b/.test(q)) pattern = DISTANCE;
  else if (/\bhow (big|large|heavy)\b|\bwhat size\b/.test(q)) pattern = SIZE;
  else if (/\bwhat (percentage|percent|proportion|share)\b|\bhow much of\b/.test(q)) pattern = PERCENT;
  else if (/\bhow fast\b|\bwhat speed\b/.test(q)) pattern = SPEED;
  if (pattern === undefined) return candidates.map(() => 0);
  return candidates.map(({ text }) => (pattern!.test(text) ? query.meanIdf : 0));
};

const howManner: Lever = (question, query, candidates) => {
  if (questionWord(question) !== 'how') return candidates.map(() => 0);
  const q = question.toLowerCase();
  if (/\bhow (many|much|long|old|far|big|large|tall|high|deep|wide|fast|often|heavy)\b/.test(q)) return candidates.map(() => 0);
  return candidates.map(({ text }) => (MANNER.test(text) ? query.meanIdf : 0));
};

const PLACE_WORDS = /\b(city|town|village|country|state|province|region|county|island|river|mountain|capital|street|avenue|road|district|province|border|coast|airport|hospital|prison|university|school|church|stadium|park|building|house|hotel|square|base|camp|north|south|east|west|northern|southern|eastern|western|central)\b/i;
/** "where": a place word or a capitalised name after a place preposition (the current Place feature is only the latter). */
const wherePlace: Lever = (question, query, candidates) => {
  if (questionWord(question) !== 'where') return candidates.map(() => 0);
  return candidates.map(({ text }) => (PLACE_WORDS.test(text) ? query.meanIdf : 0));
};


// WordNet nouns: lemma -> synset offsets, synset -> (words, hyponym offsets incl. instances).
let nounIndex: Map<string, string[]> | undefined;
let nounSynsets: Map<string, { words: string[]; hypo: string[] }> | undefined;
function wordnet(): { index: Map<string, string[]>; synsets: Map<string, { words: string[]; hypo: string[] }> } {
  if (nounIndex === undefined || nounSynsets === undefined) {
    nounIndex = new Map();
    for (const line of readFileSync(join(WORDNET_DICT, 'index.noun'), 'latin1').split('\n')) {
      if (line === '' || line.startsWith('  ')) continue;
      const f = line.trim().split(' ');
      const count = Number(f[2]); const pointers = Number(f[3]);
      nounIndex.set(f[0]!.replace(/_/g, ' '), f.slice(4 + pointers + 2, 4 + pointers + 2 + count));
    }
    nounSynsets = new Map();
    for (const [offset, synset] of readSynsets('n')) {
      nounSynsets.set(offset, { words: synset.words, hypo: synset.pointers.filter((p) => p.symbol === '~' || p.symbol === '~i').map((p) => p.offset) });
    }
  }
  return { index: nounIndex, synsets: nounSynsets };
}
const hyponymCache = new Map<string, Set<string>>();
/** Every word of the transitive hyponyms (instances too) of a noun's first `senses` senses. */
function hyponymWords(noun: string, senses: number, cap: number): Set<string> {
  const key = `${noun}|${senses}|${cap}`;
  let out = hyponymCache.get(key);
  if (out !== undefined) return out;
  out = new Set();
  const { index, synsets } = wordnet();
  const queue = [...(index.get(noun) ?? []).slice(0, senses)];
  const seen = new Set(queue);
  while (queue.length > 0 && out.size < cap) {
    const s = synsets.get(queue.shift()!);
    if (s === undefined) continue;
    for (const h of s.hypo) {
      if (seen.has(h)) continue;
      seen.add(h); queue.push(h);
      for (const w of synsets.get(h)?.words ?? []) out.add(w);
    }
  }
  hyponymCache.set(key, out);
  return out;
}
const SKIP_AFTER_WH = new Set(['is', 'was', 'are', 'were', 'did', 'does', 'do', 'has', 'have', 'had', 'can', 'could', 'will', 'would', 'the', 'a', 'an', 'kind', 'type', 'sort', 'of', 'other', 'two', 'three', 'specific', 'particular', 'famous', 'new', 'main', 'major', 'first', 'last', 'largest', 'biggest', 'most', 'french', 'british', 'american', 'english', 'german', 'european']);
/** The focus noun of a what/which question ("Which army attacked…" → army), if WordNet knows it as a noun. */
export function focusNoun(question: string): string | undefined {
  const m = /\b(what|which)\s+(.*)$/i.exec(question);
  if (m === null) return undefined;
  const ws = m[2]!.toLowerCase().split(/[^a-z]+/).filter((w) => w !== '');
  for (let k = 0; k < Math.min(3, ws.length); k++) {
    const w = ws[k]!;
    if (SKIP_AFTER_WH.has(w)) { if (['is', 'was', 'are', 'were', 'did', 'does', 'do', 'has', 'have', 'had', 'can', 'could', 'will', 'would'].includes(w)) return undefined; continue; }
    const { index } = wordnet();
    const singular = index.has(w) ? w : w.endsWith('ies') && index.has(w.slice(0, -3) + 'y') ? w.slice(0, -3) + 'y' : w.endsWith('s') && index.has(w.slice(0, -1)) ? w.slice(0, -1) : undefined;
    return singular;
  }
  return undefined;
}
/** The sentence holds a hyponym (any depth, instances too) of the question's focus noun that the question does not name. */
function focusHyponym(senses: number, cap: number): Lever {
  return (question, query, candidates) => {
    const focus = focusNoun(question);
    if (focus === undefined) return candidates.map(() => 0);
    const hypo = hyponymWords(focus, senses, cap);
    if (hypo.size === 0) return candidates.map(() => 0);
    const asked = question.toLowerCase();
    return candidates.map(({ text }) => {
      const ws = text.toLowerCase().split(/[^a-z0-9'-]+/).filter((w) => w !== '');
      for (let i = 0; i < ws.length; i++) for (let n = 1; n <= 3 && i + n <= ws.length; n++) {
        const phrase = ws.slice(i, i + n).join(' ');
        if (hypo.has(phrase) && !asked.includes(phrase)) return query.meanIdf;
      }
      return 0;
    });
  };
}

/** Content the question does not have: log(1 + the sentence's distinct terms outside the question), in mean IDFs. */
const novelContent: Lever = (_q, query, candidates) => {
  const own = new Set(query.terms.map((t) => t.term));
  return candidates.map(({ text }) => {
    let n = 0;
    for (const t of new Set(terms(text))) if (!own.has(t)) n++;
    return Math.log2(1 + n);
  });
};
/** The share of the sentence's distinct terms that are the question's (a restatement holds little else). */
const restate: Lever = (_q, query, candidates) => {
  const own = new Set(query.terms.map((t) => t.term));
  return candidates.map(({ text }) => {
    const set = new Set(terms(text));
    let inQ = 0;
    for (const t of set) if (own.has(t)) inQ++;
    return set.size === 0 ? 0 : -query.meanIdf * (inQ / set.size);
  });
};


const W = rerankWeights(DEFAULT_RANKING);
const FI = (name: string): number => (RERANK_FEATURES as readonly string[]).indexOf(name);
/** The typed and novel part of a candidate's current score. */
const typedPart = (f: Float64Array): number => W[FI('typed')]! * f[FI('typed')]! + W[FI('novel')]! * f[FI('novel')]!;


/** A count for "how many": a sentence whose only numbers are years (or ordinals) gets no type or novelty bonus. */
const YEAR_ONLY = /\b(1[0-9]{3}|20[0-9]{2})s?\b/g;
const COUNT = /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?|half|quarter|several)\b/i;
const countNotYear: Lever = (question, query, candidates) => {
  if (!/\bhow many\b|\bwhat (number|amount)\b/i.test(question)) return candidates.map(() => 0);
  return candidates.map(({ text, features }) => {
    const rest = text.replace(YEAR_ONLY, ' ').replace(/\b\d+(st|nd|rd|th)\b/gi, ' ');
    if (COUNT.test(rest)) return 0;
    return -typedPart(features);
  });
};
const PERCENT_FINE = /\d\s?(%|percent|per cent)|\b(half|third|quarter|fifth|majority|minority|most|percent)\b/i;
const percentFine: Lever = (question, query, candidates) => {
  if (!/\bwhat (percentage|percent|proportion|share|fraction)\b|\bhow much of\b/i.test(question)) return candidates.map(() => 0);
  return candidates.map(({ text, features }) => (PERCENT_FINE.test(text) ? (W[FI('typed')]! + W[FI('novel')]!) * query.meanIdf : 0) - typedPart(features));
};


/** "where": the place after in/at/near/from… must be one the question does not name (novelty of the place itself, not of any name). */
const PLACE_AFTER = /\b(?:in|at|near|from|outside|inside|across|off|on)\s+(?:the\s+)?((?:\p{Lu}[\p{L}\p{M}'-]+)(?:\s+\p{Lu}[\p{L}\p{M}'-]+)*)/gu;
function wherePlaceNovel(placeWords: boolean): Lever {
  return (question, query, candidates) => {
    if (questionWord(question) !== 'where') return candidates.map(() => 0);
    const asked = question.toLowerCase();
    return candidates.map(({ text, features }) => {
      let typed = false;
      let novel = false;
      for (const m of text.matchAll(PLACE_AFTER)) {
        typed = true;
        if (!asked.includes(m[1]!.toLowerCase().split(/\s+/)[0]!)) novel = true;
      }
      if (!typed && placeWords && PLACE_WORDS.test(text)) typed = true;
      return W[FI('typed')]! * (typed ? query.meanIdf : 0) + W[FI('novel')]! * (novel ? query.meanIdf : 0) - typedPart(features);
    });
  };
}


/**
 * The paragraph evidence without the sentence's own words: the IDF of the question terms (its own, not
 * related ones) that the paragraph's other sentences hold (`others`: any of them; `complement`: only those
 * the sentence lacks), replacing today's, which counts the sentence's own matches again (NewsQA's
 * paragraphs are 1.45 sentences, so there it doubles the matched IDF).
 */
function paragraphOthers(complement: boolean): Lever {
  return (_q, query, candidates, index) => {
    const own = query.terms.filter((t) => t.of === undefined && t.id >= 0);
    const wPar = W[FI('paragraph')]!;
    const holds = (s: number, id: number): boolean => {
      for (let k = index.tokenStart[s]!; k < index.tokenStart[s + 1]!; k++) if (index.tokens[k] === id) return true;
      return false;
    };
    return candidates.map(({ sentence }) => {
      const para = index.sentenceParagraph[sentence]!;
      const doc = index.sentenceDoc[sentence]!;
      const lo = index.docStart[doc]!; const hi = index.docStart[doc + 1]!;
      let current = 0; let alt = 0;
      for (const t of own) {
        const inSelf = holds(sentence, t.id);
        let inOther = false;
        for (let s = sentence - 1; s >= lo && index.sentenceParagraph[s] === para && !inOther; s--) inOther = holds(s, t.id);
        for (let s = sentence + 1; s < hi && index.sentenceParagraph[s] === para && !inOther; s++) inOther = holds(s, t.id);
        if (inSelf || inOther) current += t.idf;
        if (inOther && (!complement || !inSelf)) alt += t.idf;
      }
      return wPar * (alt - current);
    });
  };
}


/** The existing type and novelty bonus scaled by (1 + w) for one coarse type only (a per-type weight). */
function typeScale(type: number): Lever {
  return (question, _query, candidates) => {
    if (questionType(question) !== type) return candidates.map(() => 0);
    return candidates.map(({ features }) => typedPart(features));
  };
}


/** For a typed question, a candidate with a thing of the type new to the question borrows its neighbour's BM25 (the restating sentence next to it). */
const neighbourTyped: Lever = (_q, _query, candidates) => candidates.map(({ features }) => (features[FI('novel')]! > 0 ? features[FI('neighbour')]! : 0));
/** The same for any candidate (neighbour BM25), but only when the candidate itself holds less than its neighbour. */
const neighbourAbove: Lever = (_q, _query, candidates) => candidates.map(({ features }) => Math.max(0, features[FI('neighbour')]! - features[FI('bm25')]!));


/** "who": a sentence that opens with a name (a capitalised first word rare in general English) has the name type too. */
function initialName(minIdf: number): Lever {
  const background = backgroundFrequencies();
  return (question, query, candidates) => {
    if (questionType(question) !== 4) return candidates.map(() => 0);
    const asked = question.toLowerCase();
    return candidates.map(({ text, features }) => {
      if (features[FI('typed')]! > 0) return 0;
      const m = /^\s*["'“(]?(\p{Lu}[\p{Ll}\p{M}'-]+)/u.exec(text);
      if (m === null) return 0;
      const word = m[1]!.toLowerCase();
      const t = terms(word)[0];
      if (t === undefined || background.idf(t) < minIdf || asked.includes(word)) return 0;
      return (W[FI('typed')]! + W[FI('novel')]!) * query.meanIdf;
    });
  };
}

const DATELINE = /^\s*(\p{Lu}[\p{Lu}\p{M} .'-]+(,\s*[\p{L} .'-]+?)?\s*)?\((CNN|Reuters|AP|AFP|BBC|Bloomberg|UPI)\)\s*(--|—|–|-)\s*/u;
/** Type features read without a news dateline ("CITY, Country (CNN) --"): its place is not the answer. */
const dateline: Lever = (question, query, candidates) => {
  const type = questionType(question);
  if (type === 0) return candidates.map(() => 0);
  return candidates.map(({ text, features }) => {
    const m = DATELINE.exec(text);
    if (m === null) return 0;
    const rest = text.slice(m[0].length);
    const typed = (sentenceFeatures(' ' + rest) & type) !== 0;
    const novel = typed && hasNovel(type, ' ' + rest, question.toLowerCase());
    return W[FI('typed')]! * (typed ? query.meanIdf : 0) + W[FI('novel')]! * (novel ? query.meanIdf : 0) - typedPart(features);
  });
};

/** The levers measured (README "Quality", ranking levers of session 7); the finer answer types are in the engine. */
const LEVERS: Record<string, Lever> = {
  window8: windowPairs(8),
  window4: windowPairs(4),
  bigram: orderedBigram,
  span,
  prf3: feedback(3),
  prf5: feedback(5),
  fineType,
  howManner,
  wherePlace,
  focus1: focusHyponym(1, 5000),
  focus2: focusHyponym(2, 5000),
  novelContent,
  restate,
  dateline,
  initialName8: initialName(8),
  initialName10: initialName(10),
  neighbourTyped,
  neighbourAbove,
  scaleDate: typeScale(1),
  scaleNumber: typeScale(2),
  scaleName: typeScale(4),
  scalePlace: typeScale(8),
  paraOthers: paragraphOthers(false),
  paraComplement: paragraphOthers(true),
  whereNovel: wherePlaceNovel(false),
  whereNovelWords: wherePlaceNovel(true),
  countNotYear,
  percentFine,
};

// ---------------------------------------------------------------------------------------------

function collect(files: string[], levers: readonly string[]): Group[] {
  const weights = rerankWeights(DEFAULT_RANKING);
  const groups: Group[] = [];
  for (const file of files) {
    const set = prepareSet(file);
    const add = (mode: AskMode, ranker: Ranker, question: string, fold: Fold, scope: { from?: number; to?: number }, isRight: (s: number) => boolean): void => {
      const query = ranker.analyse(question);
      if (query.terms.length === 0) return;
      const explained = ranker.explain(query, { ...scope, top: 30 });
      const candidates = explained.map((c) => ({
        sentence: c.sentence,
        base: c.features.reduce((s, x, i) => s + x * weights[i]!, 0),
        right: isRight(c.sentence),
        text: textOf(ranker.index, c.sentence),
        position: ranker.index.positionInDocument(c.sentence),
        features: c.features,
        extra: {} as Record<string, number>,
      }));
      // Only the levers asked for: the WordNet ones alone cost most of a run.
      for (const name of levers) {
        const values = LEVERS[name]!(question, query, candidates, ranker.index);
        candidates.forEach((c, k) => { c.extra[name] = values[k]!; });
      }
      groups.push({ set: set.name, mode, fold, question, qword: questionWord(question), candidates });
    };
    forEachReachable(set, (index) => new Ranker(index, DEFAULT_RANKING, DEFAULT_EXPANSION), add);
  }
  return groups;
}

/** Rank (1-based) of the first right candidate under base + w·extra[name], 0 if none. */
function rankOf(g: Group, name: string | undefined, w: number): number {
  const scored = g.candidates.map((c) => ({ c, s: c.base + (name === undefined ? 0 : w * (c.extra[name] ?? 0)) }));
  scored.sort((a, b) => b.s - a.s || a.c.sentence - b.c.sentence);
  const k = scored.findIndex((x) => x.c.right);
  return k < 0 ? 0 : k + 1;
}

function figures(groups: readonly Group[], name: string | undefined, w: number): { n: number; top1: number; top3: number } {
  let top1 = 0, top3 = 0;
  for (const g of groups) { const r = rankOf(g, name, w); if (r === 1) top1++; if (r >= 1 && r <= 3) top3++; }
  return { n: groups.length, top1: (100 * top1) / Math.max(1, groups.length), top3: (100 * top3) / Math.max(1, groups.length) };
}

function main(): void {
  const { values } = parseArgs({ options: { qa: { type: 'string', multiple: true }, misses: { type: 'string', default: '0' }, weights: { type: 'string', default: '0.125,0.25,0.5,1' }, levers: { type: 'string' }, qword: { type: 'string' }, diff: { type: 'boolean', default: false } } });
  const files = (values.qa ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '');
  const levers = values.levers?.split(',') ?? Object.keys(LEVERS);
  const unknown = levers.filter((name) => LEVERS[name] === undefined);
  if (unknown.length > 0) throw new Error(`--levers: no lever named ${unknown.join(', ')} (there are ${Object.keys(LEVERS).join(', ')})`);
  const groups = collect(files, levers);
  const sets = [...new Set(groups.map((g) => g.set))];
  const misses = Number(values.misses);
  if (misses > 0) {
    for (const set of sets) {
      const wrong = groups.filter((g) => g.set === set && g.mode === 'one' && rankOf(g, undefined, 0) !== 1 && (values.qword === undefined || g.qword === values.qword));
      console.log(`\n== ${set}: ${wrong.length} wrong first sentences (one article); gold absent from the 30: ${wrong.filter((g) => rankOf(g, undefined, 0) === 0).length}`);
      const step = Math.max(1, Math.floor(wrong.length / misses));
      for (let k = 0; k < wrong.length && k / step < misses; k += step) {
        const g = wrong[k]!;
        const sorted = [...g.candidates].sort((a, b) => b.base - a.base || a.sentence - b.sentence);
        const gold = sorted.findIndex((c) => c.right);
        console.log(`\nQ [${g.qword}] ${g.question}\n  1st (${sorted[0]!.base.toFixed(2)}, pos ${sorted[0]!.position}): ${sorted[0]!.text.slice(0, 220)}`);
        console.log(gold < 0 ? '  gold: not among the candidates' : `  gold #${gold + 1} (${sorted[gold]!.base.toFixed(2)}, pos ${sorted[gold]!.position}): ${sorted[gold]!.text.slice(0, 220)}`);
      }
    }
  }
  if (values.diff) {
    // Where the right sentence is among the candidates but not first: which weighted features favour the first.
    for (const set of sets) {
      const lower = groups.filter((g) => g.set === set && g.mode === 'one').map((g) => [...g.candidates].sort((a, b) => b.base - a.base || a.sentence - b.sentence))
        .filter((c) => c.findIndex((x) => x.right) > 0);
      console.log(`\n== ${set}: ${lower.length} questions with the right sentence among the candidates, not first; per feature, how often it favours the first / the right one`);
      RERANK_FEATURES.forEach((name, f) => {
        if (W[f] === 0) return;
        let first = 0, right = 0;
        for (const c of lower) {
          const d = W[f]! * (c.find((x) => x.right)!.features[f]! - c[0]!.features[f]!);
          if (d > 1e-9) right++; else if (d < -1e-9) first++;
        }
        console.log(`  ${name.padEnd(10)} first ${String(first).padStart(4)}  right ${String(right).padStart(4)}`);
      });
    }
  }
  const weights = values.weights.split(',').map(Number);
  for (const mode of ['one', 'all'] as const) {
    console.log(`\n== ${mode === 'one' ? 'one article at a time' : 'all articles in one index'}: top-1 (top-3), fitted | held fold; lever rows are differences`);
    const header = ['lever', 'w', ...sets.map((s) => s.replace('qa-dev-', '').padEnd(24))].join('  ');
    console.log(header);
    const slice = (set: string, fold: Fold) => groups.filter((g) => g.set === set && g.mode === mode && g.fold === fold);
    const base = sets.map((set) => [figures(slice(set, 'fit'), undefined, 0), figures(slice(set, 'held'), undefined, 0)] as const);
    console.log(['base'.padEnd(10), ''.padEnd(5), ...base.map(([f, h]) => `${f.top1.toFixed(1)} (${f.top3.toFixed(1)}) | ${h.top1.toFixed(1)} (${h.top3.toFixed(1)})`.padEnd(24))].join('  '));
    for (const name of levers) for (const w of weights) {
      const cells = sets.map((set, i) => {
        const f = figures(slice(set, 'fit'), name, w);
        const h = figures(slice(set, 'held'), name, w);
        const [bf, bh] = base[i]!;
        const d = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(1);
        return `${d(f.top1 - bf.top1)} (${d(f.top3 - bf.top3)}) | ${d(h.top1 - bh.top1)} (${d(h.top3 - bh.top3)})`.padEnd(24);
      });
      console.log([name.padEnd(10), String(w).padEnd(5), ...cells].join('  '));
    }
  }
}

main();
