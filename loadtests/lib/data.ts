/**
 * Request payloads for the k6 scripts, drawn from the sample scripts and catalog so the load looks
 * like real use (real steps, real product ids). Runs in k6's init context: `open` reads each file
 * once, before any virtual user starts.
 */

interface ScriptLine {
  id: string;
  objective?: string;
  steps: string[];
}

interface ProductLine {
  id: string;
  title: string;
  category?: string;
  intentions: string[];
}

function readJsonl<T>(relative: string): T[] {
  // import.meta.resolve: relative to this module, not to wherever k6 was started.
  return open(import.meta.resolve(relative))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

export const SCRIPTS = readJsonl<ScriptLine>(__ENV.SCRIPTS_FILE ?? '../../data/sample/scripts.jsonl');
export const PRODUCTS = readJsonl<ProductLine>(__ENV.CATALOG_FILE ?? '../../data/sample/catalog.jsonl');
export const STEPS = SCRIPTS.flatMap((s) => s.steps);

export function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}
