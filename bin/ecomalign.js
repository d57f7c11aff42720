#!/usr/bin/env node
// Runs the compiled CLI (npm run build first); during development use `npx tsx src/cli/main.ts`.
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`fatal: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
