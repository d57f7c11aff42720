import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sampleProducts } from '../helpers/app-fixture.js';
import { tempDir } from '../helpers/store-fixture.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const main = join(root, 'src/cli/main.ts');
const { dir, cleanup } = tempDir('ecomalign-server-');
after(cleanup);

describe('ecomalign serve', () => {
  it('refuses to start in production when the model cannot be had, saying how to provide it', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', main, 'serve'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        EMBEDDER: 'minilm',
        ALLOW_MODEL_DOWNLOAD: 'false',
        MODEL_DIR: join(dir, 'no-model-here'),
        DATA_DIR: join(dir, 'prod'),
        PORT: '0',
        LOG_LEVEL: 'fatal',
      },
    });
    assert.equal(res.status, 1);
    assert.match(res.stderr, /start-up failed/);
    assert.match(res.stderr, /MODEL_DIR/);
    assert.match(res.stderr, /sentence-transformers\/all-MiniLM-L6-v2/);
  });

  it('finishes in-flight requests on SIGTERM, then flushes the store and exits 0', { timeout: 60_000 }, async () => {
    const port = 19000 + Math.floor(Math.random() * 1000);
    const dataDir = join(dir, 'graceful');
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'serve'], {
      cwd: root,
      env: {
        ...process.env,
        EMBEDDER: 'lexical',
        DATA_DIR: dataDir,
        PORT: String(port),
        LOG_LEVEL: 'info',
        SNAPSHOT_INTERVAL_S: '0',
        MAX_EVENT_LOOP_DELAY_MS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The server logs each request as it arrives (pino JSON on stdout); wait for that line.
    let logs = '';
    child.stdout.on('data', (d) => (logs += d));
    child.stderr.resume();
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 150; i++) {
      try {
        if ((await fetch(`${url}/readyz`)).status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const upsert = await fetch(`${url}/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ products: sampleProducts }),
    });
    assert.equal(upsert.status, 200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(
      metrics,
      /ecomalign_embedding_batch_duration_seconds_count\{model="lexical-hash-384-v1"\} [1-9]/,
      'embedding batches are timed',
    );
    // A large batch keeps the server busy while the signal arrives.
    const scripts = Array.from({ length: 256 }, (_, i) => ({
      id: `s${i}`,
      steps: Array.from({ length: 64 }, (_, j) => `grill burgers number ${i} ${j}`),
    }));
    const inFlight = fetch(`${url}/align/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scripts }),
    });
    for (let i = 0; i < 300 && !/"url":"\/align\/batch"/.test(logs); i++) await new Promise((r) => setTimeout(r, 10));
    assert.match(logs, /"url":"\/align\/batch"/, 'the batch request reached the server');
    child.kill('SIGTERM');
    const res = await inFlight.catch((err) => {
      throw new Error(`in-flight request failed (${err.message}); server log:\n${logs.slice(-3000)}`);
    });
    assert.equal(res.status, 200);
    const body = await res.text().catch((err) => {
      throw new Error(`response body cut off (${err.message}); server log:\n${logs.slice(-2000)}`);
    });
    assert.equal(JSON.parse(body).results.length, 256);
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    assert.ok(existsSync(join(dataDir, 'embedded', 'index', 'manifest.json')), 'index snapshot flushed on shutdown');
  });

  it('serves the shipped MiniLM by default, offline, with no fallback, and names it and its variant', { timeout: 90_000 }, async () => {
    const port = 19000 + Math.floor(Math.random() * 1000);
    // Production refuses to fall back, downloads are off, and no MODEL_DIR or EMBEDDER is set: only the
    // committed models/ directory can make this start.
    const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'production', ALLOW_MODEL_DOWNLOAD: 'false' };
    for (const name of ['EMBEDDER', 'MODEL_ID', 'MODEL_DIR', 'MODEL_DTYPE']) delete env[name];
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'serve'], {
      cwd: root,
      env: { ...env, DATA_DIR: join(dir, 'minilm'), PORT: String(port), LOG_LEVEL: 'warn', SNAPSHOT_INTERVAL_S: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout.on('data', (d) => (logs += d));
    child.stderr.on('data', (d) => (logs += d));
    const url = `http://127.0.0.1:${port}`;
    try {
      let ready: Record<string, unknown> | undefined;
      for (let i = 0; i < 300 && !ready; i++) {
        const res = await fetch(`${url}/readyz`).catch(() => undefined);
        if (res?.status === 200) ready = (await res.json()) as Record<string, unknown>;
        else await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(ready, `never ready; log:\n${logs.slice(-2000)}`);
      assert.equal(ready.model, 'sentence-transformers/all-MiniLM-L6-v2@fp32');
      assert.equal(ready.dimension, 384);
      const info = ready.modelInfo as { variant: string; verified?: { files: number } };
      assert.equal(info.variant, 'fp32');
      assert.ok(info.verified && info.verified.files > 5, 'every shipped file was checked against the manifest');
      assert.doesNotMatch(logs, /FALLBACK/);

      const products = [
        { id: 'chimney', title: 'Weber Rapidfire Chimney Starter', intentions: ['because they want to light charcoal quickly'] },
        { id: 'cooler', title: 'Igloo 48 qt cooler', intentions: ['because they want to keep beverages chilled at a party'] },
        { id: 'yarn', title: 'Merino knitting yarn', intentions: ['because they knit scarves in winter'] },
      ];
      const upsert = await fetch(`${url}/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ products }),
      });
      assert.equal(upsert.status, 200);
      const res = await fetch(`${url}/align`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ steps: ['Keep the drinks cold', 'Get the grill fire going'], k: 1, threshold: 0 }),
      });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { model: string; steps: { products: { productId: string }[] }[] };
      assert.equal(body.model, 'sentence-transformers/all-MiniLM-L6-v2@fp32');
      // No word of either step occurs in the product that should win: this is meaning, not word overlap.
      assert.deepEqual(
        body.steps.map((s) => s.products[0]?.productId),
        ['cooler', 'chimney'],
      );
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
