/** The harness behind `npm run bench` (bench/run.ts) and the old direct entry points (bench/index-bench.ts, bench/response-stall.ts). */
import { commandLine, parseBenchArgs } from './harness/args.js';
import type { BenchContext } from './harness/bench-context.js';
import { BENCHES, runDefault } from './benches.js';

function usage(): string {
  const rows = Object.entries(BENCHES).map(
    ([name, bench]) => `  --only ${name}${bench.flags ? ` ${bench.flags}` : ''}\n      ${bench.about}`,
  );
  return [
    'usage: npm run bench -- [--only NAME] [--quick] [flags]',
    '',
    'without --only: the WordNet evaluation, then the index and service benchmarks (results/wordnet-eval.*, results/latest.*)',
    '--quick: smaller sizes and shorter runs, to see a bench work',
    '',
    'NAME:',
    ...rows,
    '',
  ].join('\n');
}

/** Runs the bench the command line names; returns the files it wrote. */
export async function runBenchCommand(argv: readonly string[]): Promise<string[]> {
  const args = parseBenchArgs(argv);
  if (args.help) {
    process.stdout.write(usage());
    return [];
  }
  const ctx: BenchContext = {
    args,
    quick: args.quick,
    log: (line) => process.stderr.write(`${line}\n`),
    command: commandLine(argv),
  };
  if (args.only === undefined) return runDefault(ctx);
  const bench = BENCHES[args.only];
  if (!bench) throw new Error(`--only wants one of ${Object.keys(BENCHES).join(', ')}; got ${JSON.stringify(args.only)}`);
  return bench.run(ctx);
}
