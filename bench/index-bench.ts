/**
 * `npx tsx bench/index-bench.ts [--sizes …] [--candidates …] …`, as the README and docs name it:
 * the index benchmark by hand (bench/store/index-bench.ts), the same as
 * `npm run bench -- --only index-sweep …`.
 */
import { runBenchCommand } from './bench-command.js';

await runBenchCommand(['--only', 'index-sweep', ...process.argv.slice(2)]);
process.exit(0);
