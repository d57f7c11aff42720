/**
 * The WordNet-embedder evaluation sets (data/eval): parsing the hand-written sources and
 * building the four-way questions from them. Shared by scripts/build-eval-sets.ts (which writes
 * the JSONL files) and bench/quality/wordnet-eval.ts (which reads them).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from './synthetic.js';

export interface CatalogProduct {
  id: string;
  title: string;
  category: string;
  intentions: string[];
}

/** One four-way question: which of `options` (4 product ids, shuffled) serves `step`? */
export interface FourWayQuestion {
  id: string;
  step: string;
  answer: string;
  options: string[];
}

/** One retrieval query: `relevant` lists every catalog product that clearly helps with `step`. */
export interface RetrievalQuery {
  id: string;
  step: string;
  relevant: string[];
}

export const repoPath = (relative: string): string => fileURLToPath(new URL(`../${relative}`, import.meta.url));

export function readJsonl<T>(relative: string): T[] {
  return readFileSync(repoPath(relative), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T);
}

export const readCatalog = (): CatalogProduct[] => readJsonl<CatalogProduct>('data/sample/catalog.jsonl');

/** "grilling-4" -> "grilling-004" (the catalog's ids are zero-padded to three digits). */
export function expandId(short: string): string {
  const m = /^(.*)-(\d+)$/.exec(short.trim());
  if (!m) throw new Error(`bad product reference ${JSON.stringify(short)}`);
  return `${m[1]}-${m[2].padStart(3, '0')}`;
}

/**
 * Categories whose products are plausible confusions for each other (shared settings or shared
 * kinds of things: camp stoves and grills, baby travel gear and luggage). Distractors come from
 * these, so questions are not won by telling "pets" from "power tools".
 */
export const NEIGHBOURS: Record<string, string[]> = {
  grilling: ['camping', 'kitchen', 'party'],
  camping: ['grilling', 'travel', 'fitness'],
  kitchen: ['grilling', 'party', 'cleaning'],
  'home-office': ['tools', 'travel', 'cleaning'],
  baby: ['travel', 'pets', 'kitchen'],
  garden: ['tools', 'cleaning', 'camping'],
  cleaning: ['kitchen', 'pets', 'garden'],
  pets: ['cleaning', 'baby', 'travel'],
  fitness: ['camping', 'travel', 'home-office'],
  travel: ['camping', 'baby', 'fitness'],
  party: ['kitchen', 'grilling', 'baby'],
  tools: ['garden', 'home-office', 'cleaning'],
};

export interface ProductStep {
  product: string;
  category: string;
  number: number;
  step: string;
  /** Other products that serve the step as well (never used as its distractors). */
  also: string[];
}

/** Parses data/eval/source/product-steps.txt ("# category" headers, "n | step [| also n n]" lines). */
export function parseProductSteps(text: string): ProductStep[] {
  const out: ProductStep[] = [];
  let category = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.length === 0) continue;
    if (line.startsWith('#')) {
      const name = line.slice(1).trim();
      if (/^[a-z-]+$/.test(name)) category = name;
      continue;
    }
    const [num, step, alsoPart] = line.split('|').map((s) => s.trim());
    if (!category || !num || !step) throw new Error(`bad product-step line: ${line}`);
    // "also 3 7" names same-category products; a full id ("camping-24") names one of another category.
    const also = alsoPart
      ? alsoPart
          .replace(/^also\s+/, '')
          .split(/\s+/)
          .map((n) => expandId(/^\d+$/.test(n) ? `${category}-${n}` : n))
      : [];
    out.push({ product: expandId(`${category}-${num}`), category, number: Number(num), step, also });
  }
  return out;
}

/** Parses data/eval/source/retrieval-steps.txt ("step | id id ..." lines). */
export function parseRetrievalSteps(text: string): { step: string; relevant: string[] }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'))
    .map((line) => {
      const [step, ids] = line.split('|').map((s) => s.trim());
      if (!step || !ids) throw new Error(`bad retrieval line: ${line}`);
      return { step, relevant: [...new Set(ids.split(/\s+/).map(expandId))] };
    });
}

/** Products whose number is a multiple of 6 are the tuning split; the rest are held out. */
export const isTuningProduct = (s: ProductStep): boolean => s.number % 6 === 0;

/**
 * Four-way questions: the step's product plus three distractors, deterministic for a seed: two
 * from the same category (excluding the step's `also` list; the most plausible confusions, since
 * nearly every step shares some word with several products of its category) and one from a
 * neighbouring category.
 */
export function buildFourWay(steps: ProductStep[], catalog: CatalogProduct[], seed: number, prefix: string): FourWayQuestion[] {
  const random = mulberry32(seed);
  const pick = <T>(xs: T[]): T => xs.splice(Math.floor(random() * xs.length), 1)[0];
  const byCategory = new Map<string, string[]>();
  for (const p of catalog) byCategory.set(p.category, [...(byCategory.get(p.category) ?? []), p.id]);
  return steps.map((s, i) => {
    const same = (byCategory.get(s.category) ?? []).filter((id) => id !== s.product && !s.also.includes(id));
    const neighbour = pick([...NEIGHBOURS[s.category]]);
    const options = [s.product, pick(same), pick(same), pick((byCategory.get(neighbour) ?? []).filter((id) => !s.also.includes(id)))];
    for (let k = options.length - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      [options[k], options[j]] = [options[j], options[k]];
    }
    return { id: `${prefix}-${String(i + 1).padStart(3, '0')}`, step: s.step, answer: s.product, options };
  });
}

/** The issue's three examples of texts that should score high with no word in common. */
export const ISSUE_PAIRS: readonly (readonly [string, string])[] = [
  ['Pitch the tent before dark', 'because they want to go camping'],
  ['grill', 'barbecue'],
  ['backup my laptop', 'external hard drive'],
];
