#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Env } from '../config.js';
import { VERSION } from '../version.js';
import { checkCommandLine, commandHelp, parseCommandLine, UsageError, type Command } from './command.js';
import { COMMANDS, PROGRAM, usage } from './commands.js';
import { UseCaseFailure } from '../app/shared/use-case-failure.js';

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * Runs one command line; resolves to the exit code: 0 done, 1 failed, 2 a usage or configuration
 * mistake (with the usage). The configuration comes from `env` with the command's options over it.
 */
export async function main(argv: string[], io: Io = process, env: Env = process.env): Promise<number> {
  let command: Command | undefined;
  try {
    const line = parseCommandLine(argv, COMMANDS);
    command = line.command;
    if (line.version) {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    if (!command) {
      (line.help ? io.stdout : io.stderr).write(`${usage(line.help)}\n`);
      return line.help ? 0 : 2;
    }
    if (line.help) {
      io.stdout.write(`${commandHelp(command, PROGRAM)}\n`);
      return 0;
    }
    const { values, overrides } = checkCommandLine(command, line.raw);
    const config = loadConfig(env, overrides, command.configDefaults);
    return await command.run(values, { config, stdout: io.stdout, stderr: io.stderr });
  } catch (err) {
    if (err instanceof UsageError) {
      const errors = err.message.split('\n').map((m) => `error: ${m}\n`);
      const about = err.command ?? command;
      io.stderr.write(`${errors.join('')}\n${about ? commandHelp(about, PROGRAM) : usage()}\n`);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof UseCaseFailure) {
      io.stderr.write(`${err.message}\n`);
      return err instanceof ConfigError ? 2 : 1;
    }
    io.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`fatal: ${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
