/**
 * `npx tsx bench/response-stall.ts [--runs 3]`, as the docs name it: bench/service/response-stall.ts,
 * the same as `npm run bench -- --only response-stall …`; writes bench/results/response-stall.*.
 */
import { runBenchCommand } from './bench-command.js';

const written = await runBenchCommand(['--only', 'response-stall', ...process.argv.slice(2)]);
process.stderr.write(`wrote ${written.join(' and ')}\n`);
process.exit(0);
