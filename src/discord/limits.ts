import { SUMMARY_SENTENCES } from '../sources/summary-length';

/** Discord message limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  authorName: 256,
  /** Sum of title, description, field names and values, footer text and author name across ALL embeds of a message. */
  embedsTotal: 6000,
  embeds: 10,
  /** Autocomplete: choices per response, and the name / value length of each. */
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  /** Buttons: custom_id length. */
  customId: 100,
} as const;

/** Option bounds shared by the command definitions and the handlers. */
export const ASK_QUESTION_MAX = 300;
export const ASK_RESULTS_MIN = 1;
export const ASK_RESULTS_MAX = 5;
export const ASK_RESULTS_DEFAULT = 3;
// The summary length is shared with the console and the CLI.
export const SUMMARY_SENTENCES_MIN = SUMMARY_SENTENCES.min;
export const SUMMARY_SENTENCES_MAX = SUMMARY_SENTENCES.max;
export const SUMMARY_SENTENCES_DEFAULT = SUMMARY_SENTENCES.default;
