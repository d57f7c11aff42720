/**
 * A model directory with a manifest is checked file by file before it is loaded: a missing or altered file is a
 * start-up error that names the file and its expected sha256, never a silent fallback. Runs on the tiny generated
 * model (fast), with a manifest this test writes from hashes it computes itself; and checks the shipped model's
 * own manifest against the committed files.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { appendFile, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BUNDLED_MODEL_ID, bundledModelsRoot } from '../../src/embedding/bundled-model.js';
import { createEmbedder } from '../../src/embedding/create-embedder.js';
import { ModelIntegrityError, verifyModelDir } from '../../src/embedding/model-manifest.js';
import { TransformersEmbedder, requiredModelFiles } from '../../src/embedding/transformers-embedder.js';
import { makeTinyModel } from '../fixtures/make-tiny-model.js';

const MODEL_ID = 'ecomalign/tiny-bert';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((p) => statSync(p).isFile());
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function writeManifest(dir: string, variants: Record<string, string>): Promise<void> {
  const files = Object.fromEntries(
    filesUnder(dir)
      .filter((p) => !p.endsWith('manifest.json'))
      .map((p) => [relative(dir, p).split('\\').join('/'), { sha256: sha256(p), bytes: statSync(p).size }]),
  );
  await writeFile(
    join(dir, 'manifest.json'),
    JSON.stringify({ model: MODEL_ID, variants, source: { package: 'test', version: '0' }, files }),
  );
}

describe('model manifest', () => {
  let root: string;
  let dir: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'ecomalign-manifest-'));
    await makeTinyModel(root, MODEL_ID);
    dir = join(root, ...MODEL_ID.split('/'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('the shipped model matches its manifest, which lists every committed file', async () => {
    const shipped = join(bundledModelsRoot(), ...BUNDLED_MODEL_ID.split('/'));
    const manifest = JSON.parse(readFileSync(join(shipped, 'manifest.json'), 'utf8')) as {
      files: Record<string, unknown>;
      variants: Record<string, string>;
    };
    const onDisk = filesUnder(shipped)
      .map((p) => relative(shipped, p).split('\\').join('/'))
      .filter((f) => f !== 'manifest.json' && f !== 'README.md')
      .sort();
    assert.deepEqual(Object.keys(manifest.files).sort(), onDisk);
    assert.equal(Object.keys(manifest.variants).length, 1, 'one variant is shipped');
    const verified = await verifyModelDir(shipped, requiredModelFiles(Object.keys(manifest.variants)[0] as 'fp32' | 'q8'));
    assert.ok(verified);
    assert.equal(verified.files, onDisk.length);
  });

  it('a directory without a manifest is not checked (a model provided by hand)', async () => {
    assert.equal(await verifyModelDir(dir, requiredModelFiles('q8')), undefined);
  });

  it('loads a directory whose files match, and defaults to the one variant it ships', async () => {
    await writeManifest(dir, { fp32: 'onnx/model.onnx' });
    const e = await TransformersEmbedder.load({ modelId: MODEL_ID, modelDir: root, allowRemoteModels: false });
    try {
      assert.equal(e.variant, 'fp32');
      assert.equal(e.id, `${MODEL_ID}@fp32`);
      assert.equal(e.verified?.files, filesUnder(dir).length - 1);
    } finally {
      await e.close();
    }
  });

  it('an altered file stops the load, naming the file and its expected sha256', async () => {
    await writeManifest(dir, { q8: 'onnx/model_quantized.onnx', fp32: 'onnx/model.onnx' });
    const tokenizer = join(dir, 'tokenizer_config.json');
    const expected = sha256(tokenizer);
    await appendFile(tokenizer, ' ');
    await assert.rejects(
      TransformersEmbedder.load({ modelId: MODEL_ID, modelDir: root, allowRemoteModels: false, dtype: 'q8' }),
      (err: unknown) => {
        assert.ok(err instanceof ModelIntegrityError);
        assert.equal(err.file, tokenizer);
        assert.equal(err.expectedSha256, expected);
        assert.match(
          err.message,
          new RegExp(`${tokenizer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was altered: expected sha256 ${expected}`),
        );
        return true;
      },
    );
  });

  /**
   * Deletes `file` from a folder whose manifest lists it, then loads through createEmbedder as the service does,
   * with the development fallback on: the load must fail naming the file and its hash, with no fallback warning.
   */
  async function missingFileRefused(file: string, variants: Record<string, string>, allowRemoteModels: boolean): Promise<void> {
    await writeManifest(dir, variants);
    const path = join(dir, file);
    const expected = sha256(path);
    await unlink(path);
    const warnings: string[] = [];
    await assert.rejects(
      createEmbedder({
        kind: 'minilm',
        modelId: MODEL_ID,
        modelDir: root,
        allowRemoteModels,
        onUnavailable: 'fallback',
        warn: (m) => warnings.push(m),
        dtype: 'q8',
      }),
      (err: unknown) => {
        assert.ok(err instanceof ModelIntegrityError);
        assert.equal(err.file, path);
        assert.equal(err.expectedSha256, expected);
        assert.match(err.message, new RegExp(`is missing \\(expected sha256 ${expected}`));
        return true;
      },
    );
    assert.deepEqual(warnings, [], 'no fallback warning: an integrity failure is never replaced by another model');
  }

  it('a missing file stops the load, and is not answered by the WordNet fallback', () =>
    missingFileRefused('onnx/model.onnx', { q8: 'onnx/model_quantized.onnx', fp32: 'onnx/model.onnx' }, false));

  it('a missing file the load itself needs is an integrity error too, not a fallback or a download', () =>
    missingFileRefused('onnx/model_quantized.onnx', { q8: 'onnx/model_quantized.onnx' }, true));

  it('a variant the manifest does not ship is refused by name', async () => {
    await writeManifest(dir, { q8: 'onnx/model_quantized.onnx' });
    await assert.rejects(verifyModelDir(dir, requiredModelFiles('fp32')), (err: unknown) => {
      assert.ok(err instanceof ModelIntegrityError);
      assert.match(err.message, /onnx\/model\.onnx is not part of the model shipped/);
      return true;
    });
  });

  it('a malformed manifest is an integrity error naming the field', async () => {
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify({ model: MODEL_ID, variants: {}, source: { package: 'x', version: '1' }, files: { a: { sha256: 'nope', bytes: 1 } } }),
    );
    await assert.rejects(
      verifyModelDir(dir, []),
      (err: unknown) => err instanceof ModelIntegrityError && /malformed at files\.a\.sha256/.test(err.message),
    );
    await writeFile(join(dir, 'manifest.json'), '{');
    await assert.rejects(
      verifyModelDir(dir, []),
      (err: unknown) => err instanceof ModelIntegrityError && /not valid JSON/.test(err.message),
    );
  });
});
