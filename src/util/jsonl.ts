import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { z } from 'zod';

export interface JsonlLine {
  /** 1-based line number in the file. */
  lineNo: number;
  text: string;
  /** Bytes the line took in the file, newline included (for progress). */
  bytes: number;
}

/** Streams the non-blank lines of a file without loading it whole. */
export async function* readLines(path: string): AsyncGenerator<JsonlLine> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const text of rl) {
    lineNo++;
    const bytes = Buffer.byteLength(text) + 1;
    if (text.trim() === '') continue;
    yield { lineNo, text, bytes };
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses one JSONL line against a schema, describing any problem with its field path. */
export function parseLine<S extends z.ZodType>(schema: S, line: JsonlLine): Parsed<z.output<S>> {
  let json: unknown;
  try {
    json = JSON.parse(line.text);
  } catch (err) {
    return { ok: false, error: `line ${line.lineNo}: invalid JSON (${(err as Error).message})` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues.map((issue) => {
    const keys = (issue as { keys?: string[] }).keys;
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    if (issue.code === 'unrecognized_keys' && keys) return keys.map((k) => `${path ? `${path}.` : ''}${k}: unknown field`).join('; ');
    return `${path || '(line)'}: ${issue.message}`;
  });
  return { ok: false, error: `line ${line.lineNo}: ${problems.join('; ')}` };
}
