/**
 * The concept features of one lemma in one part of speech: a sparse bag of synset and word
 * features that describes what the word means, built from WordNet as knowledge:
 *   - the lemma's own word (so exact matches count) and, for collocations, its component words;
 *   - for each sense, weighted by senseWeights(): its synset, its synonyms, its hypernyms up to
 *     `hypernymLevels` levels with per-level decay, its part/whole, derivational, topic-domain,
 *     similarity and entailment neighbours (synset plus member words), and its definition's words
 *     weighted by gloss IDF.
 * Synset features are scaled by information content, so "entity" or "act" barely count.
 * Two words are close when these bags overlap: "tent" and "camping" share the verb synset
 * "camp, encamp, tent" (derivation) and the word "tent" (camping's definition).
 */
import type { GlossIdf } from './information.js';
import type { WordNetParams } from './params.js';
import type { Pos } from './pos.js';
import { Relation } from './relations.js';
import { senseWeights } from './sense-weights.js';
import type { WordNet } from './wordnet-db.js';

export interface FeatureSink {
  synset(index: number, weight: number): void;
  word(word: string, weight: number): void;
}

export interface FeatureContext {
  wn: WordNet;
  params: WordNetParams;
  /** Information content per synset (information.ts). */
  ic: Float32Array;
  /** Canonical definition words per synset. */
  definitions: string[][];
  idf: GlossIdf;
  /** Synsets whose definitions use each canonical word (information.ts glossBacklinks). */
  backlinks: Map<string, number[]>;
}

export function relationWeight(params: WordNetParams, relation: number): number {
  switch (relation) {
    case Relation.PartWhole:
      return params.partWhole;
    case Relation.Derivation:
      return params.derivation;
    case Relation.Domain:
      return params.domain;
    case Relation.Similar:
      return params.similar;
    case Relation.Entailment:
      return params.entailment;
    default:
      return 0;
  }
}

/** Emits the features of (`lemma`, `pos`) into `sink`; returns false when the lemma has no senses in that part of speech. */
export function emitConceptFeatures(ctx: FeatureContext, lemma: string, pos: Pos, sink: FeatureSink): boolean {
  const { wn, params, ic } = ctx;
  const senses = wn.senses.get(lemma)?.[pos];
  if (!senses) return false;

  sink.word(lemma, params.selfWord);
  if (lemma.includes('_')) {
    const parts = lemma.split('_');
    for (const part of parts) sink.word(part, params.selfWord / Math.sqrt(parts.length));
  }

  const weights = senseWeights(senses.tagCounts, params.senseRankPrior);
  for (let r = 0; r < senses.synsets.length; r++) {
    const s = senses.synsets[r];
    const p = weights[r];
    if (s < 0 || p <= 0) continue;
    const ownWords = wn.synsetWords[s];
    const sourceIndex = ownWords.indexOf(lemma) + 1; // 1-based, 0 when not found

    sink.synset(s, p * params.synset * ic[s] ** params.icExponent);
    for (const w of ownWords) if (w !== lemma) sink.word(w, p * params.synonymWord);

    emitHypernyms(ctx, s, p, sink);

    // Each relation kind is one block whose weight is split over its targets (1/sqrt(n) each), so a
    // synset with sixty topic-domain members ("golf") or thirty parts ("car") does not drown its
    // hypernym and definition in a huge norm.
    const targets = relatedTargets(wn, s, sourceIndex);
    const glossed: number[] = [];
    for (let k = 0; k < targets.length; k++) {
      const list = targets[k];
      if (list.length === 0) continue;
      const rw = (relationWeight(params, k) * p) / Math.sqrt(list.length);
      for (const t of list) {
        sink.synset(t, rw * ic[t] ** params.icExponent);
        const related = wn.synsetWords[t];
        const each = (rw * params.relatedWords) / Math.sqrt(related.length);
        for (const w of related) sink.word(w, each);
        if (rw > 0 && !glossed.includes(t)) glossed.push(t);
      }
    }

    emitDefinition(ctx, s, p * params.gloss, sink);
    if (params.relatedGloss > 0) {
      // What the sense's neighbours are defined with: its first-level hypernyms and every related synset above.
      for (let k = wn.ptrStart[s]; k < wn.ptrStart[s + 1]; k++) {
        const t = wn.ptrTarget[k];
        if (wn.ptrRelation[k] === Relation.Hypernym && !glossed.includes(t)) glossed.push(t);
      }
      const each = (p * params.gloss * params.relatedGloss) / Math.sqrt(Math.max(1, glossed.length));
      for (const t of glossed) emitDefinition(ctx, t, each, sink);
    }
  }
  if (params.glossBacklink > 0) emitBacklinks(ctx, lemma, sink);
  return true;
}

/**
 * The synsets whose definitions use `lemma`, one block of weight glossBacklink x (the lemma's gloss IDF
 * relative to the maximum), split 1/sqrt(n) over them: synset feature (by information content) plus
 * member words. Common words ("use", n ~ 4,000) spread thin and weigh little; "charcoal" reaches
 * "barbecue" (n) and "grill" (n), "camping" reaches "camper", "campsite".
 */
function emitBacklinks(ctx: FeatureContext, lemma: string, sink: FeatureSink): void {
  const { wn, params, ic, idf } = ctx;
  const list = ctx.backlinks.get(lemma);
  if (!list || list.length === 0) return;
  const rw = (params.glossBacklink * (idf.idf(lemma) / idf.maxIdf)) / Math.sqrt(list.length);
  for (const t of list) {
    sink.synset(t, rw * ic[t] ** params.icExponent);
    const words = wn.synsetWords[t];
    const each = (rw * params.relatedWords) / Math.sqrt(words.length);
    for (const w of words) if (w !== lemma) sink.word(w, each);
  }
}

/** Targets of synset `s`'s relations per Relation kind (lexical pointers only from word `sourceIndex`). */
function relatedTargets(wn: WordNet, s: number, sourceIndex: number): number[][] {
  const out: number[][] = [[], [], [], [], [], [], [], []];
  for (let k = wn.ptrStart[s]; k < wn.ptrStart[s + 1]; k++) {
    const source = wn.ptrSource[k];
    // Lexical pointers (derivations mostly) belong to one word of the synset: only follow ours.
    if (source !== 0 && source !== sourceIndex) continue;
    const t = wn.ptrTarget[k];
    const list = out[wn.ptrRelation[k]];
    if (!list.includes(t)) list.push(t);
  }
  return out;
}

function emitHypernyms(ctx: FeatureContext, s: number, p: number, sink: FeatureSink): void {
  const { wn, params, ic } = ctx;
  let frontier = [s];
  let weight = p;
  for (let level = 1; level <= params.hypernymLevels && frontier.length > 0; level++) {
    weight *= params.hypernym;
    const next: number[] = [];
    for (const f of frontier) {
      for (let k = wn.ptrStart[f]; k < wn.ptrStart[f + 1]; k++) {
        if (wn.ptrRelation[k] !== Relation.Hypernym) continue;
        const h = wn.ptrTarget[k];
        sink.synset(h, weight * ic[h] ** params.icExponent);
        next.push(h);
      }
    }
    frontier = next;
  }
}

/** The definition's words with a total L2 weight of `total`, each in proportion to its gloss IDF. */
function emitDefinition(ctx: FeatureContext, s: number, total: number, sink: FeatureSink): void {
  const words = ctx.definitions[s];
  if (words.length === 0 || total <= 0) return;
  let norm = 0;
  for (const w of words) norm += ctx.idf.idf(w) ** 2;
  if (norm <= 0) return;
  const scale = total / Math.sqrt(norm);
  for (const w of words) sink.word(w, ctx.idf.idf(w) * scale);
}
