import { wholeCount } from './counts';
import { UnknownSourceError } from './errors';
import { DEFAULT_EXPANSION, type ExpansionOptions } from './expansion';
import { answerQuestion, DEFAULT_ANSWER, type AnswerOptions } from './answer';
import { DEFAULT_RANKING, Ranker, type RankingOptions } from './ranking';
import { SentenceIndex, type AnalysedDocuments } from './sentence-index';
import { DEFAULT_SUMMARY, summarizeDocument, type SummaryOptions as SummaryTuning } from './summary';
import type { Answer, AskOptions, SourceDocument, Summary, SummaryOptions } from './types';

export interface EngineOptions {
  ranking: RankingOptions;
  /** Scoped vocabulary expansion (`expansion.ts`); false turns it off. */
  expansion: ExpansionOptions | false;
  answer: AnswerOptions;
  summary: SummaryTuning;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  ranking: DEFAULT_RANKING,
  expansion: DEFAULT_EXPANSION,
  answer: DEFAULT_ANSWER,
  summary: DEFAULT_SUMMARY,
};

/** Questions and summaries over one immutable set of documents. */
export class Engine {
  readonly index: SentenceIndex;
  private readonly ranker: Ranker;
  private readonly options: EngineOptions;

  /**
   * `analysis`, when given, is `analyseDocuments(documents)` done elsewhere (a worker thread, the
   * analysis cache), or the index already built from it (`SentenceIndex.fromAnalysisSliced`).
   */
  constructor(documents: readonly SourceDocument[], options: Partial<EngineOptions> = {}, analysis?: AnalysedDocuments | SentenceIndex) {
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...options };
    if (analysis instanceof SentenceIndex) this.index = analysis;
    else this.index = analysis === undefined ? SentenceIndex.build(documents) : SentenceIndex.fromAnalysis(documents, analysis);
    this.ranker = new Ranker(this.index, this.options.ranking, this.options.expansion === false ? undefined : this.options.expansion);
  }

  get documents(): readonly SourceDocument[] {
    return this.index.documents;
  }

  ask(question: string, options: AskOptions = {}): Answer {
    const scope = options.source === undefined ? undefined : this.sentenceRange(options.source);
    return answerQuestion(this.ranker, question, { ...options, scope }, this.options.answer);
  }

  summarize(options: SummaryOptions = {}): Summary[] {
    const length = wholeCount(options.sentences, 3, Number.MAX_SAFE_INTEGER);
    if (options.source !== undefined) {
      return [summarizeDocument(this.index, this.documentIndex(options.source), length, this.options.summary)];
    }
    return this.documents.map((_, doc) => summarizeDocument(this.index, doc, length, this.options.summary));
  }

  private documentIndex(sourceId: string): number {
    const doc = this.index.documentIndex(sourceId);
    if (doc < 0) throw new UnknownSourceError(sourceId);
    return doc;
  }

  private sentenceRange(sourceId: string): { from: number; to: number } {
    const doc = this.documentIndex(sourceId);
    return { from: this.index.docStart[doc]!, to: this.index.docStart[doc + 1]! };
  }
}

export function createEngine(documents: readonly SourceDocument[], options: Partial<EngineOptions> = {}): Engine {
  return new Engine(documents, options);
}
