import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUNDLED_MODEL_ID } from '../src/embedding/bundled-model.js';
import { ConfigError, loadConfig, OptionalGroup, SETTINGS, settingEntries, type Setting } from '../src/config.js';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.embedder, 'minilm');
    // The default is the model that ships in models/.
    assert.equal(c.modelId, BUNDLED_MODEL_ID);
    assert.equal(c.modelDtype, undefined);
    assert.equal(c.embedThreads, 0);
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
    const c = loadConfig({
      RATE_LIMIT_MAX: '100',
      RATE_LIMIT_WINDOW_MS: '1000',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      EMBED_QUEUE_MAX_DEPTH: '8',
    });
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
    const c = loadConfig({
      STORE: 'qdrant',
      QDRANT_URL: 'http://qdrant:6333',
      QDRANT_SHARDS: '6',
      QDRANT_REPLICATION_FACTOR: '2',
      QDRANT_QUANTIZATION: 'int8',
    });
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

/**
 * An oracle over the settings table: each variable, set to a valid value other than its default,
 * must arrive at the Config key its entry claims, and nowhere else. Values are found from each
 * schema (its enum options and numeric bounds), so a new setting needs no test data of its own.
 */
describe('the settings table', () => {
  const entries = settingEntries();
  const defaults = loadConfig({});
  const at = (config: unknown, path: readonly string[]) =>
    path.reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], config);

  it('gives every variable one entry and a description', () => {
    const names = entries.map((e) => e.setting.env);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    assert.deepEqual(repeated, [], 'no two entries share an environment variable');
    for (const e of entries) assert.ok(e.setting.doc.length > 0, `${e.setting.env} has a description`);
    assert.ok(entries.length >= 40, `${entries.length} settings`);
  });

  /** Values other entries derive from: the only other keys a variable may change. */
  const ALSO_CHANGES: Record<string, string[]> = {
    RATE_LIMIT_MAX: ['rateLimit.windowMs'], // the rate-limit group exists only once its max is set
    SEARCH_THREADS: ['admission.readConcurrency'], // 0 there means 8 × (SEARCH_THREADS + 1), at least 16
  };

  for (const entry of entries) {
    const { path, setting } = entry;
    it(`${setting.env} arrives at config.${path.join('.')}`, () => {
      const value = nonDefaultValue(setting, at(defaults, path));
      const context = contextFor(entry, value);
      const config = loadConfig({ ...context, [setting.env]: value });
      assert.deepEqual(at(config, path), setting.schema.parse(value));
      const changed = diffLeaves(config, loadConfig(context)).filter(
        (p) => p !== path.join('.') && !(ALSO_CHANGES[setting.env] ?? []).includes(p),
      );
      assert.deepEqual(changed, [], `${setting.env}=${value} changes nothing but config.${path.join('.')}`);
    });
  }

  /**
   * What else must be set for a variable to show: another one the loader names as missing
   * (STORE=qdrant needs QDRANT_URL), or the one an optional group waits for (RATE_LIMIT_WINDOW_MS
   * shows once RATE_LIMIT_MAX is set).
   */
  function contextFor(entry: (typeof entries)[number], value: string): Record<string, string> {
    const context: Record<string, string> = {};
    const group = entry.path
      .slice(0, -1)
      .reduce<unknown>((g, key) => (g instanceof OptionalGroup ? g.settings : (g as Record<string, unknown>))[key], SETTINGS);
    if (group instanceof OptionalGroup && group.settings[group.present] !== entry.setting) {
      const present = group.settings[group.present] as Setting;
      context[present.env] = nonDefaultValue(present, undefined);
    }
    try {
      loadConfig({ ...context, [entry.setting.env]: value });
    } catch (err) {
      const missing =
        err instanceof ConfigError && entries.find((e) => e !== entry && err.problems.some((p) => p.startsWith(`${e.setting.env}: `)));
      if (!missing) throw err;
      context[missing.setting.env] = nonDefaultValue(missing.setting, at(defaults, missing.path));
    }
    return context;
  }
});

function diffLeaves(a: unknown, b: unknown, prefix = ''): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) || isObject(b)) {
    const keys = new Set([...Object.keys(isObject(a) ? a : {}), ...Object.keys(isObject(b) ? b : {})]);
    return [...keys].flatMap((k) =>
      diffLeaves(isObject(a) ? a[k] : undefined, isObject(b) ? b[k] : undefined, prefix ? `${prefix}.${k}` : k),
    );
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}

/** A raw value the setting accepts whose result differs from `current`: tried from the schema's own options and bounds. */
function nonDefaultValue(setting: Setting, current: unknown): string {
  const candidates = [...schemaCandidates(setting.schema), 'https://example.test:6334', 'other_value-1', '7', '0.5'];
  for (const raw of candidates) {
    const parsed = setting.schema.safeParse(raw);
    if (parsed.success && parsed.data !== undefined && JSON.stringify(parsed.data) !== JSON.stringify(current)) return raw;
  }
  throw new Error(`no valid value other than the default found for ${setting.env}; add a candidate`);
}

function schemaCandidates(schema: unknown): string[] {
  const s = schema as {
    def?: { type?: string; innerType?: unknown; in?: unknown; entries?: Record<string, string> };
    minValue?: number | null;
    maxValue?: number | null;
  };
  switch (s.def?.type) {
    case 'default':
    case 'optional':
      return schemaCandidates(s.def.innerType);
    case 'pipe':
      return schemaCandidates(s.def.in);
    case 'enum':
      return Object.values(s.def.entries ?? {});
    case 'number': {
      const min = Number.isFinite(s.minValue) ? s.minValue! : 0;
      const max = Number.isFinite(s.maxValue) ? s.maxValue! : undefined;
      return [min + 1, ...(max === undefined ? [] : [max - 1, max]), min].map(String);
    }
    default:
      return [];
  }
}
