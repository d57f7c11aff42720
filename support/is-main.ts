import { fileURLToPath } from 'node:url';

/**
 * True when the module at `moduleUrl` (its import.meta.url) is the process's entry point. The
 * benches that fork themselves (ann-choice, index-bench) use it to tell their child from an import,
 * and scripts that export what tests use (schemathesis/run.ts) to run only when run.
 */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(moduleUrl) === process.argv[1];
}
