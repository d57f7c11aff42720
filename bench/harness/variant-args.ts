import { parseBenchArgs } from './args.js';

/**
 * The variant options shared by the live-server benchmarks: repeatable `--env KEY=VALUE` settings
 * passed to every server (and CLI) the benchmark starts, and `--label` naming the report row, so
 * one command compares e.g. SEARCH_THREADS=0 with the default on the same machine.
 */

export interface Variant {
  label: string;
  env: Record<string, string>;
}

/** The variant of already parsed flags (bench/harness/args.ts). */
export function variantOf(values: { env?: readonly string[]; label?: string }): Variant {
  const env: Record<string, string> = {};
  for (const pair of values.env ?? []) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!m) throw new Error(`--env wants KEY=VALUE with an upper-case KEY, got ${JSON.stringify(pair)}`);
    env[m[1]] = m[2];
  }
  if (values.label === '') throw new Error('--label wants a name');
  // Unlabelled runs are named after their settings, so two unlabelled variants never overwrite each other.
  const settings = Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return { label: values.label ?? (settings || 'default'), env };
}

/** The variant of a command line's flags. */
export function parseVariant(args: readonly string[]): Variant {
  return variantOf(parseBenchArgs(args));
}

/** A variant's server settings for a report cell: `KEY=VALUE` code spans, or "defaults". */
export function envCell(env: Readonly<Record<string, string>>): string {
  return (
    Object.entries(env)
      .map(([k, v]) => `\`${k}=${v}\``)
      .join(' ') || 'defaults'
  );
}
