import { existsSync, statSync } from 'node:fs';
import { z } from 'zod';
import type { Setting } from '../config.js';

/**
 * Command-line options, declared once: how an option reads (a flag or a value), the zod schema
 * that checks its value (a domain schema where there is one, so the CLI and the HTTP API share
 * their limits), and what --help and error messages say about it, derived from that schema.
 */

/** A value as the command line gives it: a string, true for a flag, undefined when absent. */
export type Raw = string | boolean | undefined;

export interface OptionSpec<T = unknown> {
  readonly type: 'string' | 'boolean';
  /** How --help shows the value: N, DIR, OUT.jsonl, … */
  readonly value?: string;
  readonly summary: string;
  /** From the raw value to the typed one; rejects what the command cannot use. */
  readonly schema: z.ZodType<T>;
  /** The limits in words, for --help and for a rejected value: "an integer in [1, 100]". */
  readonly accepts?: string;
  /** The configuration variable the option overrides (DATA_DIR for --data-dir). */
  readonly env?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;
export type OptionValues<S extends OptionSpecs> = { -readonly [K in keyof S]: S[K] extends OptionSpec<infer T> ? T : never };

export function flag(summary: string): OptionSpec<boolean> {
  return { type: 'boolean', summary, schema: z.boolean().default(false) };
}

/** A numeric option checked by `domain`: its bounds, integer-ness and default are the schema's. */
export function numeric<T extends number | undefined>(summary: string, domain: z.ZodType<T>, value = 'N'): OptionSpec<T> {
  const toNumber = (raw: unknown) => (typeof raw === 'string' ? (raw.trim() === '' ? NaN : Number(raw)) : raw);
  return { type: 'string', value, summary, schema: z.preprocess(toNumber, domain), accepts: inWords(domain) };
}

/** One of the values of the enum `domain` (e.g. the HTTP API's match modes). */
export function choice<T extends string | undefined>(summary: string, domain: z.ZodType<T>, value = 'NAME'): OptionSpec<T> {
  return { type: 'string', value, summary, schema: domain, accepts: inWords(domain) };
}

/** A non-empty string; without a fallback, a required one. */
export function text(summary: string, value: string, fallback?: string): OptionSpec<string> {
  const schema = z.string().trim().min(1);
  return { type: 'string', value, summary, schema: fallback === undefined ? schema : schema.default(fallback) };
}

/** A path that must exist: a file, or with `directory` a directory. */
export function existing(summary: string, value: string, kind: 'file' | 'directory' = 'file'): OptionSpec<string> {
  const isKind = (path: string) => existsSync(path) && (kind === 'directory') === statSync(path).isDirectory();
  return { type: 'string', value, summary, schema: z.string().min(1).refine(isKind), accepts: `an existing ${kind}` };
}

/** Comma-separated names, checked element by element and as a whole by `domain`; none given is undefined. */
export function list<T extends string[] | undefined>(summary: string, domain: z.ZodType<T>, value = 'A,B'): OptionSpec<T> {
  const split = (raw: unknown) => {
    if (typeof raw !== 'string') return raw;
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return items.length ? items : undefined;
  };
  return { type: 'string', value, summary, schema: z.preprocess(split, domain) };
}

/** An option that overrides a configuration variable, checked by that variable's own schema. */
export function fromSetting(setting: Setting, value: string): OptionSpec<string | undefined> {
  const schema = z
    .string()
    .trim()
    .refine((v) => setting.schema.safeParse(v).success)
    .optional();
  return { type: 'string', value, summary: setting.doc, schema, accepts: inWords(setting.schema), env: setting.env };
}

/** What a value must be, in words, read off its schema: "an integer in [1, 100]", "intentions, titles or both". */
function inWords(schema: z.ZodType): string | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodNumber) {
    const kind = inner.isInt ? 'an integer' : 'a number';
    const [min, max] = [inner.minValue, inner.maxValue].map((b) => (b === null || !Number.isFinite(b) ? undefined : b));
    if (min !== undefined && max !== undefined) return `${kind} in [${min}, ${max}]`;
    if (min !== undefined) return `${kind} ≥ ${min}`;
    return max === undefined ? kind : `${kind} ≤ ${max}`;
  }
  if (inner instanceof z.ZodEnum) return either(inner.options.map(String));
  return undefined;
}

function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) return unwrap(schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodPipe) return unwrap(schema.in as z.ZodType);
  return schema;
}

function either(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** The value an absent option takes, or undefined; whether it must be given. */
export function absent(spec: OptionSpec): { required: boolean; fallback: unknown } {
  const parsed = spec.schema.safeParse(undefined);
  return { required: !parsed.success, fallback: parsed.success ? parsed.data : undefined };
}

/**
 * Checks raw values against their specs with one zod object. Returns the typed values (complete
 * when there is no problem) and one problem per rejected value, naming the command and the value:
 * "align: --k must be an integer in [1, 100] (got "101")", "align needs --out OUT.jsonl (…)".
 * Operands (positional arguments) are named by their placeholder.
 */
export function checkValues<S extends OptionSpecs>(
  command: string,
  specs: S,
  raw: Readonly<Record<string, Raw>>,
  kind: 'option' | 'operand',
): { values: OptionValues<S>; problems: string[] } {
  const shape = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.schema]));
  const parsed = z.object(shape).safeParse(raw);
  if (parsed.success) return { values: parsed.data as OptionValues<S>, problems: [] };
  const problems = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0]);
    const spec = specs[name];
    const given = raw[name];
    const label = kind === 'option' ? `--${name}` : (spec.value ?? name);
    if (problems.has(name)) continue;
    if (given === undefined)
      problems.set(name, `${command} needs ${kind === 'option' && spec.value ? `${label} ${spec.value}` : label} (${spec.summary})`);
    else if (spec.accepts) problems.set(name, `${command}: ${label} must be ${spec.accepts} (got ${JSON.stringify(given)})`);
    else problems.set(name, `${command}: ${label}: ${issue.message} (got ${JSON.stringify(given)})`);
  }
  return { values: {} as OptionValues<S>, problems: [...problems.values()] };
}
