import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALIGN_LIMITS } from '../../src/align/script-schema.js';
import { alignCommand } from '../../src/cli/align-command.js';
import { checkCommandLine, parseCommandLine } from '../../src/cli/command.js';
import { COMMANDS } from '../../src/cli/commands.js';
import { loadConfig } from '../../src/config.js';
import { runMain, sample } from './cli-fixture.js';

/** The command line checked against each command's declarations, in-process: nothing here opens a store. */

function run(argv: string[]) {
  return runMain(argv, { EMBEDDER: 'lexical' });
}

describe('ecomalign command line', () => {
  it('rejects an option the command does not take, naming it, with the command help', async () => {
    const res = await run(['ingest', sample.catalog, '--restart']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /ingest: unknown option --restart/);
    assert.match(res.stderr, /Usage: ecomalign ingest FILE\.jsonl/);
    assert.match((await run(['migrate', '--help'])).stdout, /--restart/, 'it is migrate’s option');
    assert.match((await run(['annotate', '--set', '.', '--data-dir', 'x'])).stderr, /annotate: unknown option --data-dir/);
    assert.match((await run(['align', sample.scripts, '-x'])).stderr, /align: unknown option -x/);
  });

  it('names the option and the limit of an out-of-range value: the HTTP API’s own', async () => {
    const over = ALIGN_LIMITS.maxK + 1;
    const res = await run(['align', sample.scripts, '--out', 'unused.jsonl', '--k', String(over)]);
    assert.equal(res.code, 2);
    assert.ok(res.stderr.includes(`align: --k must be an integer in [1, ${ALIGN_LIMITS.maxK}] (got "${over}")`), res.stderr);
    const line = parseCommandLine(
      ['align', sample.scripts, '--out', 'o.jsonl', '--k', String(ALIGN_LIMITS.maxK), '--match', 'both'],
      COMMANDS,
    );
    assert.equal(line.command, alignCommand);
    const { values } = checkCommandLine(alignCommand, line.raw);
    assert.equal(values.k, ALIGN_LIMITS.maxK, 'the limit itself is accepted');
    assert.equal(values.match, 'both');
    assert.match(
      (await run(['align', sample.scripts, '--out', 'o.jsonl', '--match', 'words'])).stderr,
      /--match must be intentions, titles or both/,
    );
    assert.match((await run(['serve', '--port', 'eighty'])).stderr, /serve: --port must be an integer in \[0, 65535\]/);
    assert.match((await run(['serve', '--embedder', 'gpt'])).stderr, /serve: --embedder must be minilm, wordnet or lexical/);
  });

  it('reads options before the command name, and overrides configuration with them', () => {
    const line = parseCommandLine(['--data-dir', '/tmp/d', 'ingest', sample.catalog, '--strict'], COMMANDS);
    assert.ok(line.command);
    assert.equal(line.command.name, 'ingest');
    const { values, overrides } = checkCommandLine(line.command, line.raw);
    assert.equal(values.strict, true);
    assert.equal(values.file, sample.catalog);
    assert.deepEqual(overrides, { DATA_DIR: '/tmp/d', EMBEDDER: undefined });
  });

  it('gives the demo a store of its own unless --data-dir or DATA_DIR names one', () => {
    const demo = COMMANDS.find((c) => c.name === 'demo')!;
    const dataDir = (argv: string[], env: Record<string, string> = {}) =>
      loadConfig(env, checkCommandLine(demo, parseCommandLine(argv, COMMANDS).raw).overrides, demo.configDefaults).dataDir;
    assert.equal(dataDir(['demo']), '.data/demo');
    assert.equal(dataDir(['demo'], { DATA_DIR: '/env' }), '/env');
    assert.equal(dataDir(['demo', '--data-dir', '/flag'], { DATA_DIR: '/env' }), '/flag');
    assert.equal(loadConfig({}).dataDir, '.data', 'other commands keep the usual default');
  });

  it('lists each command’s declared options in its --help', async () => {
    for (const command of COMMANDS) {
      const res = await run([command.name, '--help']);
      assert.equal(res.code, 0, command.name);
      assert.match(res.stdout, new RegExp(`^Usage: ecomalign ${command.name}`));
      assert.ok(res.stdout.includes(command.summary));
      for (const name of Object.keys(command.options))
        assert.match(res.stdout, new RegExp(`--${name}\\b`), `${command.name} --help lists --${name}`);
      for (const operand of Object.values(command.operands ?? {}))
        assert.ok(res.stdout.includes(operand.value!), `${command.name} --help shows ${operand.value}`);
    }
    const align = (await run(['align', '--help'])).stdout;
    assert.ok(align.includes(`an integer in [1, ${ALIGN_LIMITS.maxK}]; default 5`), 'limits and defaults come from the schemas');
    const usage = await run(['--help']);
    assert.equal(usage.code, 0);
    for (const command of COMMANDS) assert.match(usage.stdout, new RegExp(`^  ${command.name}\\b`, 'm'));
    assert.match(usage.stdout, /^ {2}QDRANT_URL +Qdrant URL/m, 'the configuration variables, from the settings table');
  });

  it('prints the usage on no command or an unknown one, exit code 2', async () => {
    let res = await run([]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /Usage: ecomalign COMMAND/);
    res = await run(['frobnicate']);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /unknown command "frobnicate"/);
    res = await run(['ingest', sample.catalog, 'another.jsonl']);
    assert.match(res.stderr, /ingest: unexpected argument "another\.jsonl"/);
  });
});
