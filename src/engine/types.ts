/** A parsed article: what the engine indexes. Knows nothing of files or Discord. */
export interface SourceDocument {
  /** Stable id: the file name, e.g. `000_a08a99f93af952b7.txt`. */
  id: string;
  title: string;
  url?: string;
  author?: string;
  published?: string;
  /** Indexable sentences in article order, page chrome already removed. Sentence n is `sentences[n - 1]`. */
  sentences: string[];
  /** For each sentence, the 0-based paragraph it belongs to (same length as `sentences`). */
  paragraphs: number[];
}

export interface SentenceRef {
  /** 1-based sentence number within its source. */
  sentence: number;
  text: string;
}

export interface Hit extends SentenceRef {
  source: string;
  title: string;
  url?: string;
  /** How many sentences the source has, for "sentence 4 of 25". */
  total: number;
  /**
   * The score the sentence was ranked by; they fall from the first hit to the last. The first and every hit
   * after the third are the second stage's scores; a second or third place chosen by its meaning
   * (`lower-places.ts`, in a text of at most 50,000 tokens) shows that score plus its alignment bonus,
   * never above the place before it. Scores of different indexes are only roughly comparable.
   */
  score: number;
  /** A neighbouring sentence that makes this one understandable (who "she" is, who said a bare quote). */
  context?: SentenceRef;
}

export type DeclineReason = 'empty-question' | 'no-match' | 'weak-match';

export interface Answer {
  question: string;
  answered: boolean;
  /**
   * Whether the engine is sure the first hit answers the question (false whenever it declines): a
   * confident answer is quoted as the answer; an unsure one is shown as the closest sentences.
   */
  confident: boolean;
  /** The top sentences, best first; present even when the answer is declined. */
  hits: Hit[];
  declineReason?: DeclineReason;
  /** Set when a follow-up question was asked of the article of the conversation's previous answer. */
  followUp?: { source: string; title: string };
}

export interface Summary {
  source: string;
  title: string;
  url?: string;
  total: number;
  /** In article order. */
  sentences: SentenceRef[];
}

export interface SourceInfo {
  id: string;
  title: string;
  url?: string;
  sentences: number;
  loadedAt: Date;
  /** In a server's view: one of the operator's shared articles (answered in every server, read-only there). */
  shared?: boolean;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface AskOptions {
  /** Restrict to one source id. */
  source?: string;
  /** How many hits to return (default 3). */
  top?: number;
}

export interface SummaryOptions {
  source?: string;
  /** Sentences per summary (default 3). */
  sentences?: number;
}
