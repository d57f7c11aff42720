/**
 * Exercises the real TransformersEmbedder code path (transformers.js + onnxruntime-node) offline, against a tiny
 * BERT-like model generated on the fly by test/fixtures/make-tiny-model.ts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dot } from '../../src/core/vector-math.js';
import { MINILM_DEFAULT_THRESHOLD, ModelUnavailableError, TransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import { TINY_HIDDEN_SIZE, makeTinyModel, tinyModelReference } from '../fixtures/make-tiny-model.js';
import { cosine } from '../../src/core/vector-math.js';

const MODEL_ID = 'ecomalign/tiny-bert';

let root: string;
let q8: TransformersEmbedder;
let fp32: TransformersEmbedder;

function norm(v: Float32Array): number {
  return Math.sqrt(dot(v, v));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/**
 * SentenceBERT pooling computed by hand from the fixture's weights: per token
 * tanh((E[id] + T[0]) · P + b), averaged over the (unpadded) tokens, then L2-normalised.
 */
function referenceEmbedding(tokens: string[]): Float64Array {
  const ref = tinyModelReference(MODEL_ID);
  const h = ref.hiddenSize;
  const pooled = new Float64Array(h);
  for (const token of tokens) {
    const id = ref.tokenId(token);
    const x = new Float64Array(h);
    for (let k = 0; k < h; k++) x[k] = ref.wordEmbeddings[id * h + k] + ref.typeEmbeddings[k];
    for (let j = 0; j < h; j++) {
      let acc = ref.bias[j];
      for (let k = 0; k < h; k++) acc += x[k] * ref.projection[k * h + j];
      pooled[j] += Math.tanh(acc) / tokens.length;
    }
  }
  const n = Math.sqrt(pooled.reduce((s, v) => s + v * v, 0));
  return pooled.map((v) => v / n);
}

describe('TransformersEmbedder (tiny generated model, offline)', () => {
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'ecomalign-tiny-model-'));
    await makeTinyModel(root, MODEL_ID);
    q8 = await TransformersEmbedder.load({ modelId: MODEL_ID, modelDir: root, allowRemoteModels: false });
    fp32 = await TransformersEmbedder.load({ modelId: MODEL_ID, modelDir: root, allowRemoteModels: false, dtype: 'fp32' });
  });

  after(async () => {
    await q8?.close();
    await fp32?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('reads the dimension from the model output and tags vectors with model id and dtype', () => {
    assert.equal(q8.dimension, TINY_HIDDEN_SIZE);
    assert.equal(fp32.dimension, TINY_HIDDEN_SIZE);
    assert.equal(q8.id, `${MODEL_ID}@q8`);
    assert.equal(fp32.id, `${MODEL_ID}@fp32`);
    assert.equal(q8.defaultThreshold, MINILM_DEFAULT_THRESHOLD);
    assert.equal(MINILM_DEFAULT_THRESHOLD, 0.45);
    assert.equal(q8.source, join(root, 'ecomalign', 'tiny-bert'));
  });

  it('returns unit vectors, including for empty and Unicode input', async () => {
    const texts = ['Buy charcoal', 'because they want to grill outdoors', '', '   ', 'Crème brûlée 日本 🔥'];
    for (const e of [q8, fp32]) {
      const vs = await e.embed(texts);
      assert.equal(vs.length, texts.length);
      for (const v of vs) {
        assert.ok(v instanceof Float32Array);
        assert.equal(v.length, TINY_HIDDEN_SIZE);
        assert.ok(Math.abs(norm(v) - 1) < 1e-5, `norm ${norm(v)}`);
      }
    }
    assert.deepEqual(await q8.embed([]), []);
  });

  it('gives each text the same vector in a padded batch as alone (mean pooling honours the mask)', async () => {
    const texts = [
      'because they want to grill outdoors with friends this weekend',
      'Buy charcoal',
      'a',
      'grilling steaks',
      '',
      'because they want to keep their drinks cold at the beach',
      'Café',
    ];
    for (const e of [q8, fp32]) {
      const batch = await e.embed(texts);
      for (let i = 0; i < texts.length; i++) {
        const [alone] = await e.embed([texts[i]]);
        assert.ok(maxAbsDiff(alone, batch[i]) < 1e-5, `${e.id} text ${i}: ${maxAbsDiff(alone, batch[i])}`);
      }
      // Different texts give different vectors (the batch was not collapsed or reordered).
      assert.ok(dot(batch[0], batch[1]) < 0.999);
    }
  });

  it('splits large batches into chunks of maxBatchSize without changing results or order', async () => {
    const small = await TransformersEmbedder.load({
      modelId: MODEL_ID,
      modelDir: root,
      allowRemoteModels: false,
      maxBatchSize: 2,
    });
    try {
      const texts = Array.from({ length: 9 }, (_, i) => `${'grill '.repeat(9 - i)}charcoal ${i}`);
      const chunked = await small.embed(texts);
      const whole = await q8.embed(texts);
      assert.ok(
        chunked.every((v) => v.buffer === chunked[0].buffer),
        'vectors are views into one buffer',
      );
      for (let i = 0; i < texts.length; i++) assert.ok(maxAbsDiff(chunked[i], whole[i]) < 1e-5, `text ${i}`);
    } finally {
      await small.close();
    }
    await assert.rejects(
      TransformersEmbedder.load({ modelId: MODEL_ID, modelDir: root, allowRemoteModels: false, maxBatchSize: 0 }),
      RangeError,
    );
  });

  it('matches mean pooling computed by hand from the fixture weights', async () => {
    // Lowercased by the BERT normaliser; "charcoals" is not in the vocabulary as a whole word, so WordPiece
    // splits it into "charcoal" + "##s"; "!" is split off by the BERT pre-tokenizer.
    const text = 'Buy CHARCOALS for grilling!';
    const tokens = ['[CLS]', 'buy', 'charcoal', '##s', 'for', 'grilling', '!', '[SEP]'];
    const expected = referenceEmbedding(tokens);
    const [exact] = await fp32.embed([text]);
    for (let j = 0; j < expected.length; j++) {
      assert.ok(Math.abs(exact[j] - expected[j]) < 1e-5, `fp32 dim ${j}: ${exact[j]} vs ${expected[j]}`);
    }
    // The int8 weights dequantize to the same values, but onnxruntime fuses DequantizeLinear+MatMul into an
    // int8 kernel that also quantizes activations, so q8 is close rather than identical.
    const [quantized] = await q8.embed([text]);
    assert.ok(cosine(quantized, expected) > 0.995, `q8 cosine ${cosine(quantized, expected)}`);
  });

  it('generates byte-identical fixture files every time', async () => {
    const { readFile } = await import('node:fs/promises');
    const again = await makeTinyModel(join(root, 'again'), MODEL_ID);
    const first = join(root, 'ecomalign', 'tiny-bert');
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx']) {
      assert.ok((await readFile(join(first, f))).equals(await readFile(join(again, f))), f);
    }
  });

  it('rejects a path or malformed model id as a configuration error', async () => {
    for (const modelId of ['/models/minilm', '', ' Xenova/all-MiniLM-L6-v2', '../etc']) {
      await assert.rejects(TransformersEmbedder.load({ modelId, modelDir: root, allowRemoteModels: false }), TypeError);
    }
  });

  it('rejects embed() after close(), and close() is idempotent', async () => {
    const e = await TransformersEmbedder.load({ modelId: MODEL_ID, modelDir: root, allowRemoteModels: false });
    await e.close();
    await e.close();
    await assert.rejects(e.embed(['x']), /closed/);
  });

  it('throws ModelUnavailableError with provisioning instructions when the model directory is missing', async () => {
    const missingRoot = join(root, 'does-not-exist');
    await assert.rejects(
      TransformersEmbedder.load({ modelId: 'Xenova/all-MiniLM-L6-v2', modelDir: missingRoot, allowRemoteModels: false }),
      (err: unknown) => {
        assert.ok(err instanceof ModelUnavailableError);
        assert.equal(err.name, 'ModelUnavailableError');
        assert.equal(err.modelId, 'Xenova/all-MiniLM-L6-v2');
        const dir = join(missingRoot, 'Xenova', 'all-MiniLM-L6-v2');
        for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', join('onnx', 'model_quantized.onnx')]) {
          assert.ok(err.message.includes(join(dir, f)), `message names ${f}:\n${err.message}`);
        }
        assert.match(err.message, /MODEL_DIR/);
        assert.match(err.message, /downloads are disabled/);
        assert.match(err.message, /ALLOW_MODEL_DOWNLOAD=true/);
        assert.deepEqual(err.missingFiles, ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']);
        return true;
      },
    );
  });

  it('names the missing file when the model directory is incomplete', async () => {
    const partialRoot = join(root, 'partial');
    await makeTinyModel(partialRoot, MODEL_ID);
    await unlink(join(partialRoot, 'ecomalign', 'tiny-bert', 'onnx', 'model.onnx'));
    await assert.rejects(
      TransformersEmbedder.load({ modelId: MODEL_ID, modelDir: partialRoot, allowRemoteModels: false, dtype: 'fp32' }),
      (err: unknown) => {
        assert.ok(err instanceof ModelUnavailableError);
        assert.deepEqual(err.missingFiles, ['onnx/model.onnx']);
        assert.match(err.message, /missing: onnx\/model\.onnx/);
        return true;
      },
    );
    // The q8 file is still there, so the default dtype loads.
    const e = await TransformersEmbedder.load({ modelId: MODEL_ID, modelDir: partialRoot, allowRemoteModels: false });
    await e.close();
  });

  it('wraps a corrupt model file in ModelUnavailableError, keeping the cause', async () => {
    const corruptRoot = join(root, 'corrupt');
    const dir = await makeTinyModel(corruptRoot, MODEL_ID);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'onnx', 'model_quantized.onnx'), Buffer.from('this is not an onnx model'));
    await assert.rejects(
      TransformersEmbedder.load({ modelId: MODEL_ID, modelDir: corruptRoot, allowRemoteModels: false }),
      (err: unknown) => {
        assert.ok(err instanceof ModelUnavailableError);
        assert.ok(err.cause !== undefined, 'keeps the underlying error');
        assert.match(err.message, /could not be loaded from/);
        assert.match(err.message, /MODEL_DIR/);
        return true;
      },
    );
  });
});
