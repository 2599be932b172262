/** The reply to /help and to a mention with no question. */
import { SUMMARY_SENTENCES } from '../../sources/summary-length';
import { COLORS, reply, type Reply } from './reply';

export function formatHelp(botMention?: string): Reply {
  const mention = botMention ?? '@Article Q&A bot';
  return reply({
    embeds: [
      {
        title: 'Article Q&A bot',
        description: [
          'I answer questions about a set of news articles by quoting their best-matching sentences, with the article title, a link and where the sentence sits in it. I never make things up: when the articles do not answer, I say so.',
          '',
          '**Commands**',
          '`/ask question:` — ask a question. Optional `source:` limits it to one article (start typing for suggestions); `results:` (1–5) sets how many sentences to show.',
          `\`/summary\` — the key sentences of each article, or of one with \`source:\`; \`sentences:\` (${SUMMARY_SENTENCES.min}–${SUMMARY_SENTENCES.max}) sets how many.`,
          '`/sources` — the loaded articles, their sentence counts and when they were loaded.',
          '`/reload` — re-read the article files (moderators: Manage Server permission or a moderator role).',
          "`/source add url:` or `file:` — add an article to this server from a web page or a .txt, .md or .html file; `/source remove source:` takes one of this server's out (moderators). Shared articles are answered in every server and only the bot's operator changes them.",
          '`/settings moderator-role role:` — the role whose members are moderators here (leave `role:` out to clear it; moderators).',
          '`/help` — this message.',
          '',
          '**Mentions**',
          `Mention me with a question, e.g. \`${mention} who wrote the letter?\`, and I reply to your message with the same answer as \`/ask\`.`,
        ].join('\n'),
        color: COLORS.answer,
      },
    ],
  });
}

