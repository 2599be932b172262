// natural's package root pulls in database clients and prints dotenv noise; its stemmer module alone is light.
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer';

export function stem(word: string): string {
  return PorterStemmer.stem(word);
}
