import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where every bench writes: bench/results/, whatever folder the bench itself sits in. */
const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/** bench/results/<name>, without extension: a bench writes <name>.json and <name>.md. */
export function resultsBase(name: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return `${RESULTS_DIR}${name}`;
}

/** Writes bench/results/<name>.json (the data) and <name>.md (the report); returns both paths. */
export function writeResult(name: string, data: unknown, markdown: string): string[] {
  const base = resultsBase(name);
  writeFileSync(`${base}.json`, `${JSON.stringify(data, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  return [`${base}.json`, `${base}.md`];
}
