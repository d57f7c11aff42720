import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resultsBase } from './results.js';

/**
 * Result files that keep one row per variant: a run replaces the rows it measured (same key, e.g.
 * label + store size) and keeps the others, so `--label default` and `--label search-threads-0`
 * run one after the other end up side by side in one report instead of the second erasing the first.
 */

/** Rows of `existing` with every row whose key is in `incoming` replaced in place; new keys appended. */
export function mergeRows<R>(existing: readonly R[], incoming: readonly R[], key: (row: R) => string): R[] {
  const fresh = new Map(incoming.map((row) => [key(row), row]));
  const out = existing.map((row) => {
    const k = key(row);
    const replacement = fresh.get(k);
    if (replacement === undefined) return row;
    fresh.delete(k);
    return replacement;
  });
  return [...out, ...fresh.values()];
}

/** The rows of a results JSON file ({ rows: [...] }); none when it is absent or unreadable (a fresh start). */
export function readRows<R>(jsonPath: string): R[] {
  if (!existsSync(jsonPath)) return [];
  try {
    const parsed = JSON.parse(readFileSync(jsonPath, 'utf8')) as { rows?: R[] };
    return Array.isArray(parsed.rows) ? parsed.rows : [];
  } catch {
    return [];
  }
}

/** Merges `incoming` into bench/results/<name>.json and re-renders <name>.md from all rows. Returns both paths. */
export function writeRows<R>(name: string, incoming: readonly R[], key: (row: R) => string, render: (rows: R[]) => string): string[] {
  const base = resultsBase(name);
  const rows = mergeRows(readRows<R>(`${base}.json`), incoming, key);
  writeFileSync(`${base}.json`, `${JSON.stringify({ rows }, null, 2)}\n`);
  writeFileSync(`${base}.md`, render(rows));
  return [`${base}.json`, `${base}.md`];
}
