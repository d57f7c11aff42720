/**
 * `npm run bench`: the one entry point of the benchmarks. Without --only it runs the WordNet
 * evaluation and the index and service benchmarks (results/wordnet-eval.*, results/latest.*);
 * `--only NAME` runs one row of the table in bench/benches.ts. `--help` lists the table.
 *
 *   npm run bench [-- --quick]
 *   npm run bench -- --only NAME [--quick] [flags of NAME]
 *   npm run bench -- --help
 */
import { runBenchCommand } from './bench-command.js';

const written = await runBenchCommand(process.argv.slice(2));
if (written.length) process.stderr.write(`wrote ${written.join(' and ')}\n`);
// Some benches leave handles (worker pools, sockets closing) that would keep the process alive.
process.exit(0);
