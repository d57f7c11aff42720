/**
 * The variant options shared by the live-server benchmarks: repeatable `--env KEY=VALUE` settings
 * passed to every server (and CLI) the benchmark starts, and `--label` naming the report row, so
 * one command compares e.g. SEARCH_THREADS=0 with the default on the same machine.
 */

export interface Variant {
  label: string;
  env: Record<string, string>;
}

export function parseVariant(args: readonly string[]): Variant {
  const env: Record<string, string> = {};
  let label: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--env' || arg.startsWith('--env=')) {
      const pair = arg === '--env' ? args[++i] : arg.slice('--env='.length);
      const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair ?? '');
      if (!m) throw new Error(`--env wants KEY=VALUE with an upper-case KEY, got ${JSON.stringify(pair)}`);
      env[m[1]] = m[2];
    } else if (arg === '--label' || arg.startsWith('--label=')) {
      label = arg === '--label' ? args[++i] : arg.slice('--label='.length);
      if (!label) throw new Error('--label wants a name');
    }
  }
  // Unlabelled runs are named after their settings, so two unlabelled variants never overwrite each other.
  const settings = Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return { label: label ?? (settings || 'default'), env };
}

/** The integer after `--name`, or the fallback. */
export function intArg(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} wants a positive integer, got ${JSON.stringify(args[i + 1])}`);
  return value;
}
