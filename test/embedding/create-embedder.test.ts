import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createEmbedder } from '../../src/embedding/create-embedder.js';
import { LEXICAL_EMBEDDER_ID, LexicalEmbedder } from '../../src/embedding/lexical/lexical-embedder.js';
import { ThreadedTransformersEmbedder } from '../../src/embedding/threaded-transformers-embedder.js';
import { ModelUnavailableError } from '../../src/embedding/transformers-embedder.js';
import { WORDNET_EMBEDDER_ID } from '../../src/embedding/wordnet/params.js';
import { cacheFileName } from '../../src/embedding/wordnet/table-cache.js';
import { WordNetEmbedder } from '../../src/embedding/wordnet/wordnet-embedder.js';
import { TINY_HIDDEN_SIZE, makeTinyModel } from '../fixtures/make-tiny-model.js';
import { sharedWordNetCacheDir } from './wordnet/shared-cache.js';

const MINILM = 'Xenova/all-MiniLM-L6-v2';

function recorder(): { warn: (msg: string) => void; messages: string[] } {
  const messages: string[] = [];
  return { warn: (msg: string) => void messages.push(msg), messages };
}

describe('createEmbedder', () => {
  let root: string;
  // The table's clean build is tested in wordnet/wordnet-embedder.test.ts; here a shared cache saves a second build.
  let wordnetCacheDir: string;

  before(async () => {
    wordnetCacheDir = sharedWordNetCacheDir();
    root = await mkdtemp(join(tmpdir(), 'ecomalign-create-embedder-'));
    await makeTinyModel(root, 'ecomalign/tiny-bert');
  });

  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('builds the lexical embedder without touching the model', async () => {
    const { warn, messages } = recorder();
    const e = await createEmbedder({
      kind: 'lexical',
      modelId: MINILM,
      modelDir: join(root, 'nowhere'),
      allowRemoteModels: false,
      onUnavailable: 'fail',
      warn,
    });
    assert.ok(e instanceof LexicalEmbedder);
    assert.equal(e.id, LEXICAL_EMBEDDER_ID);
    assert.equal(messages.length, 0);
  });

  it('builds the transformers embedder when the model is available', async () => {
    const { warn, messages } = recorder();
    const e = await createEmbedder({
      kind: 'minilm',
      modelId: 'ecomalign/tiny-bert',
      modelDir: root,
      allowRemoteModels: false,
      onUnavailable: 'fallback',
      warn,
    });
    try {
      assert.ok(e instanceof ThreadedTransformersEmbedder, 'the service runs the model on a thread of its own');
      assert.equal(e.id, 'ecomalign/tiny-bert@q8');
      assert.equal(e.dimension, TINY_HIDDEN_SIZE);
      assert.equal(messages.length, 0);
    } finally {
      await e.close();
    }
  });

  it('builds the WordNet embedder and caches its table in wordnetCacheDir', async () => {
    const { warn, messages } = recorder();
    const e = await createEmbedder({
      kind: 'wordnet',
      modelId: MINILM,
      modelDir: join(root, 'nowhere'),
      allowRemoteModels: false,
      onUnavailable: 'fail',
      warn,
      wordnetCacheDir,
    });
    assert.ok(e instanceof WordNetEmbedder);
    assert.equal(e.id, WORDNET_EMBEDDER_ID);
    assert.equal(e.dimension, 384);
    assert.equal(
      e.source.path,
      join(wordnetCacheDir, cacheFileName(WORDNET_EMBEDDER_ID, e.params)),
      'the table file lives in wordnetCacheDir',
    );
    assert.ok(existsSync(e.source.path));
    assert.equal(messages.length, 0);
  });

  it("falls back to the WordNet embedder with exactly one loud warning when onUnavailable is 'fallback'", async () => {
    const { warn, messages } = recorder();
    const modelDir = join(root, 'empty-model-dir');
    const e = await createEmbedder({
      kind: 'minilm',
      modelId: MINILM,
      modelDir,
      allowRemoteModels: false,
      onUnavailable: 'fallback',
      warn,
      wordnetCacheDir,
    });
    assert.ok(e instanceof WordNetEmbedder);
    assert.equal(messages.length, 1);
    const [msg] = messages;
    assert.match(msg, /UNAVAILABLE/);
    assert.ok(msg.includes(MINILM), 'names the model');
    assert.ok(msg.includes(WORDNET_EMBEDDER_ID), 'says the WordNet embedder is used');
    assert.match(msg, /EMBEDDER=lexical/, 'says the lexical embedder stays available');
    assert.ok(msg.includes(join(modelDir, 'Xenova', 'all-MiniLM-L6-v2', 'onnx', 'model_quantized.onnx')), 'says where the files go');
    assert.match(msg, /ALLOW_MODEL_DOWNLOAD=true/);
    // The fallback works.
    const [v] = await e.embed(['because they want to grill outdoors']);
    assert.equal(v.length, 384);
  });

  it("rethrows ModelUnavailableError without warning when onUnavailable is 'fail'", async () => {
    const { warn, messages } = recorder();
    await assert.rejects(
      createEmbedder({
        kind: 'minilm',
        modelId: MINILM,
        modelDir: join(root, 'empty-model-dir'),
        allowRemoteModels: false,
        onUnavailable: 'fail',
        warn,
      }),
      ModelUnavailableError,
    );
    assert.equal(messages.length, 0);
  });

  it('does not hide errors other than an unavailable model', async () => {
    const { warn, messages } = recorder();
    await assert.rejects(
      createEmbedder({
        kind: 'minilm',
        modelId: 'ecomalign/tiny-bert',
        modelDir: root,
        allowRemoteModels: false,
        onUnavailable: 'fallback',
        warn,
        maxBatchSize: -1,
      }),
      RangeError,
    );
    assert.equal(messages.length, 0);
  });
});
