import { settingEntries } from '../config.js';
import { VERSION } from '../version.js';
import { alignCommand } from './align-command.js';
import { annotateCommand } from './annotate-command.js';
import { buildBenchmarkCommand } from './build-benchmark-command.js';
import { calibrateCommand } from './calibrate-command.js';
import { table, type Command } from './command.js';
import { demoCommand } from './demo-command.js';
import { ingestCommand } from './ingest-command.js';
import { migrateCommand } from './migrate-command.js';
import { serveCommand } from './serve-command.js';

/** Every command, in the order the usage lists them. A new command is a module and a line here. */
export const COMMANDS: readonly Command[] = [
  ingestCommand,
  alignCommand,
  buildBenchmarkCommand,
  calibrateCommand,
  annotateCommand,
  migrateCommand,
  serveCommand,
  demoCommand,
];

export const PROGRAM = 'ecomalign';

/** The program's usage; with `environment`, every configuration variable too (for --help). */
export function usage(environment = false): string {
  const lines = [
    `${PROGRAM} ${VERSION}: align script steps to products through purchase intentions`,
    '',
    `Usage: ${PROGRAM} COMMAND [options]`,
    '',
    'Commands:',
    ...table(COMMANDS.map((c) => [[c.name, ...Object.values(c.operands ?? {}).map((o) => o.value)].join(' '), c.summary])),
    '',
    `\`${PROGRAM} COMMAND --help\` lists a command's options.`,
  ];
  if (!environment) {
    lines.push(`Configuration comes from the environment (PORT, HOST, DATA_DIR, EMBEDDER, API_KEY, ...); \`${PROGRAM} --help\` lists it.`);
    return lines.join('\n');
  }
  const rows = settingEntries().map(({ setting }) => {
    const fallback = setting.schema.safeParse(undefined);
    const shown = fallback.success && fallback.data !== undefined ? ` (default ${JSON.stringify(fallback.data)})` : '';
    return [setting.env, `${setting.doc}${shown}`];
  });
  return [...lines, '', 'Configuration, from the environment:', ...table(rows)].join('\n');
}
