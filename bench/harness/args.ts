import { parseArgs } from 'node:util';

/**
 * Every flag of `npm run bench`, parsed once with node:util's parseArgs (strict: a typo fails
 * instead of being ignored). Which bench reads which flag is in the table (bench/benches.ts).
 */
const OPTIONS = {
  only: { type: 'string' },
  quick: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  // The live-server benches' variant: settings for every server they start, and the report row's name.
  env: { type: 'string', multiple: true },
  label: { type: 'string' },
  embedder: { type: 'string' },
  note: { type: 'string' },
  trial: { type: 'string' },
  duration: { type: 'string' },
  scenarios: { type: 'string' },
  runs: { type: 'string' },
  copies: { type: 'string' },
  scripts: { type: 'string' },
  connections: { type: 'string' },
  'batch-size': { type: 'string' },
  // The bulk bench's assumed MiniLM rate, for its extrapolation when the run did not measure one.
  'minilm-texts-per-second': { type: 'string' },
  // The index sweep (`--only index-sweep`, `npx tsx bench/index-bench.ts`).
  sizes: { type: 'string' },
  candidates: { type: 'string' },
  breadths: { type: 'string' },
  queries: { type: 'string' },
  seed: { type: 'string' },
  dimension: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export type BenchArgs = ReturnType<typeof parseBenchArgs>;

export function parseBenchArgs(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
}

/** A positive integer flag, or the fallback when it is absent. */
export function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${flag} wants a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

/** The `--embedder` of the benches that run the server or the CLI with one (default lexical). */
export function embedderOf(args: BenchArgs): 'lexical' | 'minilm' {
  const embedder = args.embedder ?? 'lexical';
  if (embedder !== 'lexical' && embedder !== 'minilm')
    throw new Error(`--embedder wants lexical or minilm, got ${JSON.stringify(embedder)}`);
  return embedder;
}

/** A comma-separated list of numbers (`--sizes 100000,1000000`), or undefined when absent. */
export function numberList(value: string | undefined): number[] | undefined {
  return value === undefined ? undefined : value.split(',').map(Number);
}

/**
 * The command that reproduces this run, as recorded in the results. `--note` describes the
 * machine's load during this run, not how to reproduce it, so it is left out. Arguments with
 * spaces or shell characters (`--label 'two lanes'`) are quoted, so the record can be pasted back.
 */
export function commandLine(argv: readonly string[]): string {
  const kept = argv.filter((arg, i) => arg !== '--note' && argv[i - 1] !== '--note' && !arg.startsWith('--note='));
  return kept.length ? `npm run bench -- ${kept.map(shellQuoted).join(' ')}` : 'npm run bench';
}

function shellQuoted(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
