import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCliProcess, type ServerProcess } from '../../support/server-process.js';
import { cliIn, sample } from './cli-fixture.js';

/** A product whose title is markup: the page must show it as text. It serves the barbecue's charcoal step. */
export const HOSTILE_PRODUCT = {
  id: 'hostile-001',
  title: `<img src=x onerror="window.__pwned=1"><b>Charcoal</b> & "Lighter" <script>window.__pwned=2</script>`,
  category: 'grilling',
  intentions: ['because they want to light the charcoal and wait until the coals are ashed over'],
};

/**
 * A small real candidate set: the sample catalog (plus the hostile product) ingested with the
 * lexical embedder, then build-benchmark over the first two sample scripts, one positive and two
 * negatives (one hard, one easy) per step. Returns the set directory and a CLI runner bound to the store.
 */
export function buildSmallSet(dir: string): { setDir: string; cli: ReturnType<typeof cliIn> } {
  const cli = cliIn(join(dir, 'data'));
  const catalog = join(dir, 'catalog.jsonl');
  writeFileSync(catalog, `${readFileSync(sample.catalog, 'utf8').trimEnd()}\n${JSON.stringify(HOSTILE_PRODUCT)}\n`);
  const scripts = join(dir, 'scripts.jsonl');
  writeFileSync(scripts, `${readFileSync(sample.scripts, 'utf8').split('\n').slice(0, 2).join('\n')}\n`);
  const ingest = cli(['ingest', catalog]);
  assert.equal(ingest.code, 0, ingest.stderr);
  const setDir = join(dir, 'set');
  const built = cli(['build-benchmark', '--scripts', scripts, '--out', setDir, '--k', '1', '--negatives-per-positive', '2', '--seed', '3']);
  assert.equal(built.code, 0, built.stderr);
  return { setDir, cli };
}

export type AnnotateProcess = ServerProcess;

/** `ecomalign annotate` as a child process, the program users run; resolves once it listens. */
export function startAnnotateProcess(args: string[]): Promise<AnnotateProcess> {
  return startCliProcess({
    args: (port) => ['annotate', '--port', String(port), ...args],
    env: () => ({ LOG_LEVEL: 'warn' }),
    ready: (url, stderr) => stderr.includes(`open ${url}`),
  });
}

/** Small JSON client for the annotation API. */
export function annotateClient(url: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) };
  };
  return {
    next: (annotator: string, task: string) => call('GET', `/api/next?${new URLSearchParams({ annotator, task })}`),
    label: (annotator: string, id: string, label: 0 | 1) => call('POST', '/api/labels', { annotator, id, label }),
    get: (path: string) => call('GET', path),
  };
}
