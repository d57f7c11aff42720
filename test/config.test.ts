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
