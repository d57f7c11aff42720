import type { BenchArgs } from './args.js';

/** What the harness (bench/run.ts) hands every bench: its flags, a logger and the command that repeats the run. */
export interface BenchContext {
  args: BenchArgs;
  quick: boolean;
  log: (line: string) => void;
  /** `npm run bench -- …` as typed (less --note): recorded in the results to reproduce them. */
  command: string;
}

/** One row of the bench table: what it measures, its own flags, and how to run it. */
export interface Bench {
  /** One line for --help: what it measures and where it writes. */
  about: string;
  /** Its own flags, for --help (the shared ones, --quick and --only, are not repeated). */
  flags?: string;
  /** Runs the bench and returns the files it wrote. */
  run(ctx: BenchContext): Promise<string[]>;
}
