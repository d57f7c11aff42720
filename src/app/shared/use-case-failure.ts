/**
 * A use case refused its input, and the message says everything a person needs (which file, which
 * line, what to do instead). Callers print it as it is: the CLI with exit code 1, no "error:" prefix
 * and no stack.
 */
export class UseCaseFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UseCaseFailure';
  }
}
