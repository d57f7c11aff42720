import { parseArgs } from 'node:util';
import type { Config, Env } from '../config.js';
import { UseCaseFailure } from '../app/shared/use-case-failure.js';
import { absent, checkValues, flag, type OptionSpec, type OptionSpecs, type OptionValues, type Raw } from './options.js';

/**
 * A CLI command declares its name, a one-line summary, its operands and options, and its run.
 * The registry (commands.ts) lists them; main.ts parses a command line against the declarations,
 * so an option a command does not declare is an error, and --help is generated from them.
 */

/** A mistake on the command line: printed with the help of `command` (or the usage), exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: Command,
  ) {
    super(message);
  }
}

/**
 * A failure whose message says everything (e.g. every bad line of an input): printed as is, exit
 * code 1. The CLI's own kind of the use cases' UseCaseFailure, which main.ts prints the same way.
 */
export class CommandFailure extends UseCaseFailure {}

export interface CommandContext {
  config: Config;
  /** The command's result (one JSON line). */
  stdout: NodeJS.WritableStream;
  /** Progress and reports. */
  stderr: NodeJS.WritableStream;
}

export interface Command<O extends OptionSpecs = OptionSpecs, P extends OptionSpecs = OptionSpecs> {
  readonly name: string;
  readonly summary: string;
  /** Positional arguments, in order (ingest's FILE.jsonl). */
  readonly operands?: P;
  readonly options: O;
  /** Configuration this command defaults to where neither a flag nor the environment sets it. */
  readonly configDefaults?: Env;
  /**
   * Checks of values that are each fine but do not fit together (--m without --aggregate topm),
   * run after every value passed its own check: one problem per option that does not fit.
   */
  refine?(values: OptionValues<O> & OptionValues<P>): readonly OptionProblem[];
  /** Resolves to the exit code. */
  run(values: OptionValues<O> & OptionValues<P>, context: CommandContext): Promise<number>;
}

/** An option whose value does not fit the others; reported as "COMMAND: --OPTION: MESSAGE (got VALUE)". */
export interface OptionProblem {
  option: string;
  message: string;
}

export function defineCommand<O extends OptionSpecs, P extends OptionSpecs = Record<never, OptionSpec>>(
  command: Command<O, P>,
): Command<O, P> {
  return command;
}

/** Options every command takes. */
const GLOBAL: OptionSpecs = { help: flag('show this help'), version: flag('print the version') };

export interface CommandLine {
  command?: Command;
  help: boolean;
  version: boolean;
  /** Checked later (checkCommandLine), so --help works even beside a bad value. */
  raw: { options: Record<string, Raw>; operands: Record<string, Raw> };
}

/**
 * Splits argv into the command and its raw values. Options may stand before or after the command
 * name; each must be one the command declares.
 */
export function parseCommandLine(argv: string[], commands: readonly Command[]): CommandLine {
  // Every option any command declares, so that a value is read as a value wherever the command name stands.
  const types = new Map<string, 'string' | 'boolean'>(Object.entries(GLOBAL).map(([name, spec]) => [name, spec.type]));
  for (const c of commands) {
    for (const [name, spec] of Object.entries(c.options)) {
      const known = types.get(name);
      if (known && known !== spec.type) throw new Error(`--${name} is a ${known} option elsewhere; ${c.name} declares it ${spec.type}`);
      types.set(name, spec.type);
    }
  }
  const { tokens } = parseArgs({
    args: argv,
    options: Object.fromEntries([...types].map(([name, type]) => [name, name === 'help' ? { type, short: 'h' } : { type }])),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const positionals = tokens.filter((t) => t.kind === 'positional').map((t) => t.value);
  const name = positionals.shift();
  const command = name === undefined ? undefined : commands.find((c) => c.name === name);
  if (name !== undefined && !command) throw new UsageError(`unknown command "${name}"`);
  const where = command ? `${command.name}: ` : '';
  const line: CommandLine = { command, help: false, version: false, raw: { options: {}, operands: {} } };
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = GLOBAL[token.name] ?? command?.options[token.name];
    if (!spec) {
      // No command named: an option some command takes is left to the usage, which asks for one.
      if (!command && types.has(token.name)) continue;
      throw new UsageError(`${where}unknown option ${token.rawName}`, command);
    }
    if (spec.type === 'string' && token.value === undefined) throw new UsageError(`${where}${token.rawName} needs a value`, command);
    if (spec.type === 'boolean' && token.value !== undefined) throw new UsageError(`${where}${token.rawName} takes no value`, command);
    if (token.name === 'help' || token.name === 'version') line[token.name] = true;
    else line.raw.options[token.name] = token.value ?? true;
  }
  const operandNames = Object.keys(command?.operands ?? {});
  if (positionals.length > operandNames.length)
    throw new UsageError(`${where}unexpected argument ${JSON.stringify(positionals[operandNames.length])}`, command);
  operandNames.forEach((n, i) => (line.raw.operands[n] = positionals[i]));
  return line;
}

/** The command's typed values and the configuration its options override, or a UsageError naming every bad value. */
export function checkCommandLine(
  command: Command,
  raw: CommandLine['raw'],
): { values: Record<string, unknown>; overrides: Record<string, string | undefined> } {
  const operands = checkValues(command.name, command.operands ?? {}, raw.operands, 'operand');
  const options = checkValues(command.name, command.options, raw.options, 'option');
  const problems = [...operands.problems, ...options.problems];
  if (problems.length) throw new UsageError(problems.join('\n'), command);
  const refined = command.refine?.({ ...operands.values, ...options.values }) ?? [];
  if (refined.length) {
    const given = (option: string) => (raw.options[option] === undefined ? '' : ` (got ${JSON.stringify(raw.options[option])})`);
    throw new UsageError(refined.map((p) => `${command.name}: --${p.option}: ${p.message}${given(p.option)}`).join('\n'), command);
  }
  const overrides: Record<string, string | undefined> = {};
  for (const [name, spec] of Object.entries(command.options))
    if (spec.env) overrides[spec.env] = options.values[name] as string | undefined;
  return { values: { ...operands.values, ...options.values }, overrides };
}

/** `ecomalign COMMAND --help`, from the declarations. */
export function commandHelp(command: Command, program: string): string {
  const operands = Object.values(command.operands ?? {}).map((o) => o.value);
  const required = Object.entries(command.options)
    .filter(([, spec]) => absent(spec).required)
    .map(([name, spec]) => `--${name}${spec.value ? ` ${spec.value}` : ''}`);
  const rows = [
    ...Object.entries(command.operands ?? {}).map(([name, spec]) => [spec.value ?? name, describe(spec)]),
    ...Object.entries({ ...command.options, ...GLOBAL }).map(([name, spec]) => [
      `${name === 'help' ? '-h, ' : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`,
      describe(spec),
    ]),
  ];
  return [
    `Usage: ${[program, command.name, ...operands, ...required, '[options]'].join(' ')}`,
    '',
    command.summary,
    '',
    'Options:',
    ...table(rows),
  ].join('\n');
}

function describe(spec: OptionSpec): string {
  const { required, fallback } = absent(spec);
  const notes = [
    spec.accepts,
    required ? 'required' : undefined,
    fallback === undefined || fallback === false
      ? undefined
      : `default ${typeof fallback === 'string' ? fallback : JSON.stringify(fallback)}`,
    spec.env ? `overrides ${spec.env}` : undefined,
  ].filter(Boolean);
  return notes.length ? `${spec.summary} (${notes.join('; ')})` : spec.summary;
}

/** Two columns, the second aligned. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`);
}
