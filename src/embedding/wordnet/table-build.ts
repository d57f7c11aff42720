/**
 * Builds the word table from the WordNet database: loads WordNet, computes gloss IDF and synset
 * information content, then for every (lemma, part of speech) projects its concept features
 * (concept-features.ts) by signed hashing, L2-normalises and quantises the row to int8.
 * Takes a few seconds and a few hundred MB transiently; done once, then cached (table-cache.ts).
 */
import { emitConceptFeatures, type FeatureContext, type FeatureSink } from './concept-features.js';
import { SYNSET_FEATURE, WORD_FEATURE, hashString, scatterFeature } from './hashing.js';
import { definitionWords, glossBacklinks, glossIdf, synsetInformation } from './information.js';
import type { WordNetParams } from './params.js';
import { POS_LIST } from './pos.js';
import { loadWordNet, type WordNet } from './wordnet-db.js';
import { WordTable, type WordTableData } from './word-table.js';

export interface BuildOptions {
  /** Build rows only for these lemmas (tests); default all. */
  onlyLemmas?: Iterable<string>;
  /** An already loaded database (tests share one). */
  wordnet?: WordNet;
}

export function featureContext(wn: WordNet, params: WordNetParams): FeatureContext {
  const definitions = definitionWords(wn);
  return { wn, params, ic: synsetInformation(wn), definitions, idf: glossIdf(definitions), backlinks: glossBacklinks(definitions) };
}

export function buildWordTable(params: WordNetParams, opts: BuildOptions = {}): WordTable {
  const wn = opts.wordnet ?? loadWordNet();
  const ctx = featureContext(wn, params);
  const d = params.dimension;
  const lemmas = opts.onlyLemmas ? [...new Set(opts.onlyLemmas)].filter((l) => wn.senses.has(l)) : [...wn.senses.keys()];

  let rowCount = 0;
  for (const l of lemmas) for (const s of wn.senses.get(l) ?? []) if (s) rowCount++;

  const data: WordTableData = {
    dimension: d,
    maxIdf: ctx.idf.maxIdf,
    lemmas,
    lemmaIdf: new Float32Array(lemmas.length),
    lemmaFirstRow: new Int32Array(lemmas.length),
    lemmaRowCount: new Uint8Array(lemmas.length),
    rowPos: new Uint8Array(rowCount),
    rowTagCount: new Float32Array(rowCount),
    rowScale: new Float32Array(rowCount),
    rows: new Int8Array(rowCount * d),
  };

  const acc = new Float32Array(d);
  const wordHashes = new Map<string, number>();
  const sink: FeatureSink = {
    synset: (index, weight) => scatterFeature(acc, SYNSET_FEATURE, index, weight),
    word: (word, weight) => {
      let h = wordHashes.get(word);
      if (h === undefined) wordHashes.set(word, (h = hashString(word)));
      scatterFeature(acc, WORD_FEATURE, h, weight);
    },
  };

  let r = 0;
  lemmas.forEach((lemma, id) => {
    data.lemmaIdf[id] = ctx.idf.idf(lemma);
    data.lemmaFirstRow[id] = r;
    const perPos = wn.senses.get(lemma) ?? [];
    for (const pos of POS_LIST) {
      const senses = perPos[pos];
      if (!senses) continue;
      acc.fill(0);
      emitConceptFeatures(ctx, lemma, pos, sink);
      quantizeRow(acc, data, r);
      data.rowPos[r] = pos;
      data.rowTagCount[r] = senses.tagCounts.reduce((a, b) => a + b, 0);
      data.lemmaRowCount[id]++;
      r++;
    }
  });
  return new WordTable(data);
}

/** L2-normalises `v` and stores it as int8 with a per-row scale (max |x| maps to 127). */
function quantizeRow(v: Float32Array, data: WordTableData, r: number): void {
  let sum = 0;
  let max = 0;
  for (let i = 0; i < v.length; i++) {
    sum += v[i] * v[i];
    max = Math.max(max, Math.abs(v[i]));
  }
  if (sum === 0) return;
  const norm = Math.sqrt(sum);
  const scale = max / norm / 127;
  data.rowScale[r] = scale;
  const base = r * v.length;
  for (let i = 0; i < v.length; i++) data.rows[base + i] = Math.round(v[i] / norm / scale);
}
