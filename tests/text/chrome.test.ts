import { describe, expect, it } from 'vitest';
import { isChrome } from '../../src/text/chrome';

describe('isChrome', () => {
  it.each([
    'More From This Section', 'Advertisement', 'ADVERTISEMENT', 'Read more', 'Read More »', 'Share this article',
    'Share on Facebook', 'Facebook Twitter WhatsApp Email', 'Subscribe to our newsletter', 'Sign up for our daily briefing',
    'Follow us on Twitter', 'Click here to see the full gallery', 'Continue reading', 'Related Articles', 'Most Read',
    'You may also like', 'Skip to main content', 'Image copyright Getty Images', 'Story continues below advertisement',
    '© 2018 Reuters', 'Comments',
  ])('drops %j', (line) => {
    expect(isChrome(line)).toBe(true);
  });

  it.each([
    'More than 100 people were killed in the attack.',
    'Share prices rose sharply on Monday after the announcement.',
    'Read the full statement, the minister urged reporters.',
    'Subscribers to the service will pay $9 a month from June, the company said in a statement to investors.',
    'The first meeting between the two leaders was held in Singapore in June.',
  ])('keeps %j', (sentence) => {
    expect(isChrome(sentence)).toBe(false);
  });
});
