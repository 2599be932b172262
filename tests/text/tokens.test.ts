import { describe, expect, it } from 'vitest';
import { STOP_WORDS, stem, terms, words } from '../../src/text/tokens';

describe('words', () => {
  it('expands negative contractions so "won\'t" is not "won"', () => {
    expect(words("We won't go")).toEqual(['we', 'will', 'not', 'go']);
    expect(words("They can't and didn't")).toEqual(['they', 'can', 'not', 'and', 'did', 'not']);
  });

  it('reads an auxiliary\'s "n\'t" typed without its apostrophe as "not"', () => {
    expect(words('It doesnt work and we didnt ask')).toEqual(['it', 'does', 'not', 'work', 'and', 'we', 'did', 'not', 'ask']);
    // A name ending in an auxiliary and "n" keeps its possessive reading.
    expect(words("Don's car and New Haven's mayor")).toEqual(['don', 'car', 'and', 'new', 'haven', 'mayor']);
    expect(terms('Why wasnt it suitable?')).toEqual(terms("Why wasn't it suitable?"));
    // Words of their own, and names, stay as they are.
    expect(words('the cant of the wont; Haven, Don, Wasn')).toEqual(['the', 'cant', 'of', 'the', 'wont', 'haven', 'don', 'wasn']);
  });

  it('drops possessives, with straight or curly apostrophes', () => {
    expect(words("Pompeo's trip")).toEqual(['pompeo', 'trip']);
    expect(words('Pompeo’s trip')).toEqual(['pompeo', 'trip']);
    expect(words("the leaders' summit")).toEqual(['the', 'leaders', 'summit']);
  });

  it('folds accents in questions and sentences alike, leaving other scripts whole', () => {
    expect(words('Whére wás the fírst méeting héld? Quiñonez, Zürich, Ærø')).toEqual(['where', 'was', 'the', 'first', 'meeting', 'held', 'quinonez', 'zurich', 'ærø']);
    // Decomposed input (e + combining acute) folds the same as composed.
    expect(terms('Cafe\u0301 société')).toEqual(terms('Café societe'));
    expect(words('हिन्दी русский ελληνικά')).toEqual(['हिन्दी', 'русский', 'ελληνικα']);
  });

  it('treats words that are names of object properties as plain words', () => {
    expect(words('constructor toString __proto__ hasOwnProperty')).toEqual(['constructor', 'tostring', 'proto', 'hasownproperty']);
  });

  it('keeps names with an apostrophe whole', () => {
    expect(words("O'Brien's report")).toEqual(['obrien', 'report']);
  });

  it('splits hyphenated names into their parts', () => {
    expect(words('Kim Jong-un')).toEqual(['kim', 'jong', 'un']);
  });

  it('keeps decimals and joins dotted abbreviations', () => {
    expect(words('U.S. growth of 2.5% in 2018')).toEqual(['us', 'growth', 'of', '2.5', 'in', '2018']);
  });
});

describe('terms', () => {
  it('stems and removes stop words but keeps negations, ordinals and numbers', () => {
    expect(terms('Was the first meeting not held in 2018?')).toEqual(['first', 'meet', 'not', 'hold', '2018']);
  });

  it('matches inflections through the Porter stemmer', () => {
    expect(terms('tested missiles')).toEqual(terms('testing of missile'));
  });

  it('maps irregular past forms to their verb, so "wrote" meets "written"', () => {
    expect(terms('Who wrote it? It was written, held and won.')).toEqual(['write', 'write', 'hold', 'win']);
    // "found" (a company) and "left" (a direction) are other words more often than past tenses.
    expect(terms('found left')).toEqual(['found', 'left']);
  });

  it('leaves numbers unstemmed', () => {
    expect(stem('1990s')).toBe('1990s');
    expect(stem('running')).toBe('run');
  });

  it('does not treat "us" (the US, in news) as a stop word', () => {
    expect(STOP_WORDS.has('us')).toBe(false);
    expect(STOP_WORDS.has('the')).toBe(true);
  });
});
