import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCENARIO_SHARE, type ScenarioName } from '../lib/profiles.js';
import type { PlannedRequest } from './open-loop.js';

/** The same traffic mix as the k6 scripts (lib/scenarios.ts), built from the sample data. */

const sample = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../data/sample/${name}`, import.meta.url)), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));

const SCRIPTS: { id: string; objective?: string; steps: string[] }[] = sample('scripts.jsonl');
const PRODUCTS: { id: string }[] = sample('catalog.jsonl');
const STEPS = SCRIPTS.flatMap((s) => s.steps);

/** Deterministic choice so two runs send the same requests. */
function chooser(seed: number) {
  let s = seed >>> 0;
  return <T>(items: readonly T[]): T => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return items[s % items.length];
  };
}

export function requestFactory(scenario: ScenarioName, apiKey: string, seed = 1): () => PlannedRequest {
  const pick = chooser(seed);
  const products = new Map(sample('catalog.jsonl').map((p: { id: string }) => [p.id, p]));
  switch (scenario) {
    case 'align1':
      return () => ({ scenario, method: 'POST', path: '/align', body: JSON.stringify({ steps: [pick(STEPS)], k: 5 }) });
    case 'align5':
      return () => {
        const s = pick(SCRIPTS);
        return {
          scenario,
          method: 'POST',
          path: '/align',
          body: JSON.stringify({ objective: s.objective, steps: s.steps.slice(0, 5), k: 5 }),
        };
      };
    case 'alignBatch':
      return () => {
        const scripts = Array.from({ length: 8 }, (_, i) => {
          const s = pick(SCRIPTS);
          return { id: `${s.id}-${i}`, objective: s.objective, steps: s.steps };
        });
        return { scenario, method: 'POST', path: '/align/batch', body: JSON.stringify({ scripts, k: 5 }) };
      };
    case 'productsRead':
      return () => ({ scenario, method: 'GET', path: `/products/${encodeURIComponent(pick(PRODUCTS).id)}` });
    case 'productsWrite':
      return () => ({
        scenario,
        method: 'POST',
        path: '/products',
        body: JSON.stringify({ products: [products.get(pick(PRODUCTS).id)] }),
        headers: { authorization: `Bearer ${apiKey}` },
      });
  }
}

/** Requests in the k6 mix's proportions. */
export function mixedFactory(apiKey: string, seed = 1): () => PlannedRequest {
  const entries = Object.entries(SCENARIO_SHARE) as [ScenarioName, number][];
  const factories = entries.map(([name]) => requestFactory(name, apiKey, seed + name.length));
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    let r = s / 2147483648;
    for (let i = 0; i < entries.length; i++) {
      r -= entries[i][1];
      if (r < 0) return factories[i]();
    }
    return factories[0]();
  };
}
