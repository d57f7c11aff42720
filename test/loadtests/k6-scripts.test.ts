import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The k6 scripts run for real in CI (`npm run k6 -- smoke`, with k6 built by loadtests/k6/install.sh
 * where Go is available); here, where k6 may be absent, the compiler keeps them honest: they are
 * type-checked against @types/k6 (the k6 API as published), and the check is shown to reject a
 * script that misuses that API. What types cannot show (a rate rounding to zero, a threshold on the
 * wrong metric) is tested on the options themselves (lib/options.test.ts) and by the real runs.
 */

const LOADTESTS = fileURLToPath(new URL('../../loadtests/', import.meta.url));
const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

function tsc(project: string) {
  return spawnSync(process.execPath, [TSC, '-p', project], { encoding: 'utf8' });
}

describe('k6 load-test scripts', () => {
  it('has one script per profile, and the capacity search trial', () => {
    const scripts = readdirSync(LOADTESTS)
      .filter((f) => f.endsWith('.ts'))
      .sort();
    assert.deepEqual(scripts, ['capacity.ts', 'load.ts', 'smoke.ts', 'soak.ts', 'spike.ts', 'stress.ts']);
  });

  it('type-check cleanly against @types/k6', { timeout: 60_000 }, () => {
    const res = tsc(join(LOADTESTS, 'tsconfig.json'));
    assert.equal(res.status, 0, `tsc reported:\n${res.stdout}${res.stderr}`);
  });

  it('and the check would catch a script that misuses the k6 API', { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecomalign-k6-'));
    try {
      writeFileSync(
        join(dir, 'bad.ts'),
        [
          "import http from 'k6/http';",
          "import { optionsFor } from '" + join(LOADTESTS, 'lib/options.ts') + "';",
          "export const options = optionsFor('smok');", // not a profile
          "export default function () { http.post('http://x', { steps: 1 }, { timeout: true }); }", // timeout must be string|number
        ].join('\n'),
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          extends: join(LOADTESTS, 'tsconfig.json'),
          include: ['bad.ts'],
          compilerOptions: { typeRoots: [join(LOADTESTS, '../node_modules/@types')] },
        }),
      );
      const res = tsc(join(dir, 'tsconfig.json'));
      assert.notEqual(res.status, 0);
      assert.match(res.stdout, /bad\.ts\(3,[0-9]+\): error TS2345/, res.stdout);
      assert.match(res.stdout, /bad\.ts\(4,[0-9]+\): error TS2322/, res.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
