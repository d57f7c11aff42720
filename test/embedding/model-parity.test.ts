/**
 * Parity with SentenceBERT: the shipped model (models/sentence-transformers/all-MiniLM-L6-v2), run through the
 * service's own embedder (transformers.js + onnxruntime-node), against sentence-transformers' own embeddings of
 * the same ~200 texts (reference/embeddings.json, written by tools/model/export.py with PyTorch).
 *
 * What makes "SentenceBERT semantics" a fact: same dimension, unit vectors, and a cosine to the reference of at
 * least 0.9999 for fp32 weights (0.99 for int8) on every text, including texts past 256 word pieces, which both
 * sides must truncate at the same place.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dot } from '../../src/core/vector-math.js';
import { BUNDLED_MODEL_ID, bundledModelsRoot } from '../../src/embedding/bundled-model.js';
import { TransformersEmbedder } from '../../src/embedding/transformers-embedder.js';

interface ReferenceText {
  group: string;
  text: string;
  wordPieces: number;
  vector: string;
}

const modelDir = join(bundledModelsRoot(), ...BUNDLED_MODEL_ID.split('/'));
const reference = JSON.parse(readFileSync(join(modelDir, 'reference', 'embeddings.json'), 'utf8')) as {
  maxSeqLength: number;
  texts: ReferenceText[];
};
const MIN_COSINE = { fp32: 0.9999, q8: 0.99 } as const;

function decode(b64: string): Float32Array {
  const bytes = Buffer.from(b64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

describe('the shipped model agrees with sentence-transformers', () => {
  let embedder: TransformersEmbedder;
  let vectors: Float32Array[];
  let cosines: number[];

  before(async () => {
    embedder = await TransformersEmbedder.load({ modelId: BUNDLED_MODEL_ID, modelDir: bundledModelsRoot(), allowRemoteModels: false });
    vectors = await embedder.embed(reference.texts.map((r) => r.text));
    cosines = vectors.map((v, i) => dot(v, decode(reference.texts[i].vector)));
  });
  after(() => embedder?.close());

  it('loads the committed files, checked against the manifest, and names model and variant', () => {
    assert.equal(embedder.id, `${BUNDLED_MODEL_ID}@${embedder.variant}`);
    assert.ok(embedder.verified, 'the shipped directory carries a manifest and passed its check');
    assert.equal(embedder.source, modelDir);
    assert.ok(reference.texts.length >= 190, `${reference.texts.length} reference texts`);
  });

  it('has the reference dimension and returns unit vectors', () => {
    assert.equal(embedder.dimension, 384);
    for (const [i, v] of vectors.entries()) {
      assert.equal(v.length, 384);
      assert.ok(Math.abs(Math.sqrt(dot(v, v)) - 1) < 1e-5, `norm of ${JSON.stringify(reference.texts[i].text.slice(0, 40))}`);
      assert.equal(decode(reference.texts[i].vector).length, 384);
    }
  });

  it('matches every reference vector (minimum and mean cosine reported)', (t) => {
    const min = Math.min(...cosines);
    const mean = cosines.reduce((a, b) => a + b, 0) / cosines.length;
    const worst = cosines.indexOf(min);
    const line = `parity ${embedder.id} over ${cosines.length} texts: min cosine ${min.toFixed(7)}, mean ${mean.toFixed(7)} (worst: ${JSON.stringify(reference.texts[worst].text.slice(0, 50))})`;
    t.diagnostic(line);
    console.log(line);
    const bar = MIN_COSINE[embedder.variant];
    for (const [i, c] of cosines.entries()) {
      assert.ok(
        c >= bar,
        `cosine ${c} < ${bar} for ${reference.texts[i].group} text ${JSON.stringify(reference.texts[i].text.slice(0, 60))}`,
      );
    }
  });

  it('counts word pieces as sentence-transformers does, and truncates where it does', () => {
    const long = reference.texts.filter((r) => r.wordPieces > reference.maxSeqLength);
    assert.ok(long.length >= 4, 'the reference exercises truncation');
    for (const r of reference.texts) {
      assert.equal(embedder.wordPieces(r.text), Math.min(r.wordPieces, reference.maxSeqLength), JSON.stringify(r.text.slice(0, 40)));
    }
  });

  it('gives every text the same vector alone as in one call with all the others (runs split by length and word pieces)', async () => {
    for (const [i, r] of reference.texts.entries()) {
      const [alone] = await embedder.embed([r.text]);
      assert.ok(dot(alone, vectors[i]) > 0.999999, JSON.stringify(r.text.slice(0, 40)));
    }
  });

  it('ignores what lies past the limit, and a text embeds the same alone as in a batch', async () => {
    const long = reference.texts.find((r) => r.wordPieces > reference.maxSeqLength + 20)!;
    const [alone, extended, short] = await embedder.embed([
      long.text,
      `${long.text} and then something else entirely`,
      'Light the charcoal',
    ]);
    assert.ok(dot(alone, extended) > 0.999999, 'words past 256 pieces do not change the vector');
    const [shortAlone] = await embedder.embed(['Light the charcoal']);
    assert.ok(dot(short, shortAlone) > 0.99999, 'padding to a long neighbour does not change a short text');
  });
});
