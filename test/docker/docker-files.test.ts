/**
 * What can be checked of docker/ without Docker: the compose files parse, have the services,
 * volumes and pinned images they promise, and configure the service with settings config.ts accepts;
 * the Dockerfile has its stages, runs as non-root, checks /readyz and copies only files that exist.
 * (Building the image and running the stacks needs a Docker daemon: see docs/scaling.md and
 * scripts/dockerfile-dry-run.ts for what is run here instead.)
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number | boolean>;
  volumes?: string[];
  profiles?: string[];
  depends_on?: string[];
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

function compose(file: string): Compose {
  // Compose resolves YAML merge keys (<<: *anchor); the yaml package does when asked.
  return parse(readFileSync(join(root, 'docker', file), 'utf8'), { merge: true }) as Compose;
}

/** The service's environment as config.ts would read it (compose passes every value as a string). */
function configOf(service: ComposeService) {
  const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)]));
  return loadConfig(env);
}

function checkCommon(c: Compose) {
  for (const [name, s] of Object.entries(c.services)) {
    if (s.image) assert.doesNotMatch(s.image, /:latest$|^[^:]+$/, `${name}: pin the image version`);
    for (const v of s.volumes ?? []) {
      const [source] = v.split(':');
      assert.ok(source in c.volumes, `${name}: volume ${source} is declared`);
    }
    for (const dep of s.depends_on ?? []) assert.ok(dep in c.services, `${name} depends on a defined service ${dep}`);
  }
  const app = c.services.ecomalign;
  assert.equal(app.build?.dockerfile, 'docker/Dockerfile');
  assert.ok(existsSync(join(root, 'docker', app.build.context, app.build.dockerfile)), 'build context holds the Dockerfile');
  const config = configOf(app);
  assert.equal(config.store, 'qdrant');
  assert.equal(config.host, '0.0.0.0', 'listens outside the container');
  const ingest = c.services.ingest;
  assert.deepEqual(ingest.profiles, ['ingest'], 'a one-shot, not started by "up"');
  assert.equal(ingest.image, app.image, 'runs the service image');
  assert.equal(ingest.command?.[0], 'ingest');
  assert.ok(existsSync(join(root, ingest.command[1])), 'the sample catalog is in the repository (and the image)');
  assert.deepEqual(configOf(ingest).qdrant, config.qdrant, 'ingest writes where the service reads');
  return config;
}

describe('docker/docker-compose.yml', () => {
  it('runs the service on one Qdrant with a volume, and an ingest one-shot', () => {
    const c = compose('docker-compose.yml');
    assert.deepEqual(Object.keys(c.services).sort(), ['ecomalign', 'ingest', 'qdrant']);
    const config = checkCommon(c);
    assert.match(c.services.qdrant.image!, /^qdrant\/qdrant:v1\.\d+\.\d+$/);
    assert.ok(
      c.services.qdrant.volumes!.some((v) => v.endsWith(':/qdrant/storage')),
      'Qdrant data survives the container',
    );
    assert.equal(config.qdrant.url, 'http://qdrant:6333');
    assert.equal(config.qdrant.shards, 1);
  });
});

describe('docker/docker-compose.cluster.yml', () => {
  it('runs three clustered Qdrant nodes, one bootstrapping the others, each with its own volume', () => {
    const c = compose('docker-compose.cluster.yml');
    const nodes = Object.keys(c.services)
      .filter((n) => n.startsWith('qdrant-'))
      .sort();
    assert.deepEqual(nodes, ['qdrant-1', 'qdrant-2', 'qdrant-3']);
    const volumes = new Set<string>();
    for (const n of nodes) {
      const s = c.services[n];
      assert.equal(s.environment?.QDRANT__CLUSTER__ENABLED, 'true', `${n}: cluster mode`);
      const cmd = s.command!.join(' ');
      assert.match(cmd, new RegExp(`--uri http://${n}:6335`), `${n}: announces itself`);
      if (n !== 'qdrant-1') assert.match(cmd, /--bootstrap http:\/\/qdrant-1:6335/, `${n}: joins the first peer`);
      volumes.add(s.volumes![0].split(':')[0]);
    }
    assert.equal(volumes.size, 3, 'one volume per node');
  });

  it('configures the service for sharding and replication the cluster can hold', () => {
    const c = compose('docker-compose.cluster.yml');
    const config = checkCommon(c);
    assert.equal(config.qdrant.shards, 6);
    assert.equal(config.qdrant.replicationFactor, 2);
    assert.ok(config.qdrant.replicationFactor <= 3, 'no more replicas than nodes');
    assert.equal(config.qdrant.shards % 3, 0, 'shards spread evenly over the nodes');
    assert.equal(config.qdrant.quantization, 'int8');
  });
});

describe('docker/Dockerfile', () => {
  const text = readFileSync(join(root, 'docker/Dockerfile'), 'utf8');
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('builds in stages and runs a slim, non-root runtime with the model baked in', () => {
    const stages = lines.filter((l) => l.startsWith('FROM ')).map((l) => l.split(/\s+AS\s+/i)[1]);
    assert.deepEqual(stages, ['build', 'model', 'prod-deps', 'runtime']);
    const runtime = lines.slice(lines.findIndex((l) => l.endsWith('AS runtime')));
    assert.ok(
      runtime.some((l) => /^USER (node|\d+)$/.test(l)),
      'non-root user',
    );
    assert.ok(!runtime.some((l) => /^RUN .*(apt-get|npm ci)/.test(l)), 'no compilers or installs in the runtime stage');
    assert.ok(runtime.some((l) => /ALLOW_MODEL_DOWNLOAD=false/.test(l)));
    assert.ok(runtime.some((l) => /MODEL_DIR=\/app\/models/.test(l)));
    assert.ok(runtime.some((l) => l.startsWith('COPY --from=model /app/models')));
    assert.ok(
      lines.some((l) => /^ARG MODEL_ID=/.test(l)),
      'the model is a build argument',
    );
    const health = runtime.find((l) => l.startsWith('HEALTHCHECK'));
    assert.match(health ?? '', /\/readyz/);
  });

  it('copies only files that exist in the build context and that .dockerignore lets through', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const line of lines.filter((l) => l.startsWith('COPY ') && !l.includes('--from='))) {
      const sources = line.split(/\s+/).slice(1, -1);
      for (const source of sources) {
        assert.ok(existsSync(join(root, source)), `${line}: ${source} exists`);
        assert.ok(!ignored.some((pattern) => source === pattern || source.startsWith(`${pattern}/`)), `${source} is not in .dockerignore`);
      }
    }
  });
});
