import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.embedder, 'minilm');
    assert.equal(c.modelId, 'Xenova/all-MiniLM-L6-v2');
    assert.equal(c.allowModelDownload, true);
    assert.equal(c.apiKey, undefined);
    assert.equal(c.nodeEnv, 'development');
  });

  it('parses and coerces values; empty strings mean unset', () => {
    const c = loadConfig({ PORT: '9000', EMBEDDER: 'lexical', ALLOW_MODEL_DOWNLOAD: 'false', DEFAULT_THRESHOLD: '0.5', API_KEY: '' });
    assert.equal(c.port, 9000);
    assert.equal(c.embedder, 'lexical');
    assert.equal(c.allowModelDownload, false);
    assert.equal(c.defaultThreshold, 0.5);
    assert.equal(c.apiKey, undefined);
  });

  it('load protection: rate limiting off unless configured, CORS origins parsed, shedding thresholds', () => {
    const d = loadConfig({});
    assert.equal(d.rateLimit, undefined, 'a bulk client must not be throttled by default');
    assert.equal(d.corsOrigins, undefined);
    assert.ok(d.maxEventLoopDelayMs > 0);
    assert.equal(d.maxHeapUsedBytes, 0);
    const c = loadConfig({ RATE_LIMIT_MAX: '100', RATE_LIMIT_WINDOW_MS: '1000', CORS_ORIGINS: 'https://a.example, https://b.example', EMBED_QUEUE_MAX_DEPTH: '8' });
    assert.deepEqual(c.rateLimit, { max: 100, windowMs: 1000 });
    assert.deepEqual(c.corsOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(c.embedQueueMaxDepth, 8);
    assert.equal(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins, '*');
    assert.throws(() => loadConfig({ RATE_LIMIT_MAX: '0' }), /RATE_LIMIT_MAX/);
  });

  it('the Qdrant store needs its URL, and says so', () => {
    assert.equal(loadConfig({}).store, 'embedded');
    assert.throws(() => loadConfig({ STORE: 'qdrant' }), /QDRANT_URL: QDRANT_URL is required when STORE=qdrant/);
    assert.throws(() => loadConfig({ STORE: 'qdrant', QDRANT_URL: 'ftp://x' }), /QDRANT_URL/);
    const c = loadConfig({ STORE: 'qdrant', QDRANT_URL: 'http://qdrant:6333', QDRANT_SHARDS: '6', QDRANT_REPLICATION_FACTOR: '2', QDRANT_QUANTIZATION: 'int8' });
    assert.equal(c.qdrant.url, 'http://qdrant:6333');
    assert.equal(c.qdrant.shards, 6);
    assert.equal(c.qdrant.replicationFactor, 2);
    assert.equal(c.qdrant.quantization, 'int8');
    assert.equal(c.qdrant.collection, 'ecomalign');
  });

  it('lets overrides win over the environment', () => {
    assert.equal(loadConfig({ DATA_DIR: '/env' }, { DATA_DIR: '/flag' }).dataDir, '/flag');
    assert.equal(loadConfig({ DATA_DIR: '/env' }, { DATA_DIR: undefined }).dataDir, '/env');
  });

  it('names every bad variable', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', EMBEDDER: 'gpt', API_KEY: 'short', DEFAULT_THRESHOLD: '2' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        for (const name of ['PORT', 'EMBEDDER', 'API_KEY', 'DEFAULT_THRESHOLD']) assert.match(err.message, new RegExp(name));
        assert.match(err.message, /"eighty"/);
        return true;
      },
    );
  });
});
