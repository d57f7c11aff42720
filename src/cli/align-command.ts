import { closeSync, createReadStream, existsSync, openSync, statSync, truncateSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Aligner, AlignOptions } from '../align/aligner.js';
import { completeScoring, type Scoring } from '../align/scoring/scoring.js';
import { alignOptionsShape, scoringOf, scriptSchema, type ScriptRecord } from '../align/script-schema.js';
import { CommandFailure, defineCommand } from './command.js';
import { kOption, scoringOptions, scoringProblems, scriptBatchSize, storeOptions, thresholdOption } from './common-options.js';
import { parseLine, readLines } from '../util/jsonl.js';
import { choice, existing, flag, list, text } from './options.js';
import { Progress } from '../util/progress.js';
import { printSummary } from './with-services.js';

export interface AlignFileOptions {
  scripts: string;
  out: string;
  align: AlignOptions;
  batchSize: number;
  strict: boolean;
  stderr: NodeJS.WritableStream;
  plainIntervalMs?: number;
}

export interface AlignFileSummary {
  scripts: number;
  aligned: number;
  skippedDone: number;
  badLines: number;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
}

/**
 * Bulk alignment for benchmark construction: scripts JSONL in, one result line per script out,
 * streaming. Resumable: ids already in OUT are skipped, and a torn last line left by a crash is
 * cut off before appending.
 */
export async function alignFile(aligner: Aligner, options: AlignFileOptions): Promise<AlignFileSummary> {
  const started = performance.now();
  const done = await recoverOutput(options.out, completeScoring(options.align.scoring ?? {}));
  const fd = openSync(options.out, 'a');
  const progress = Progress.overFile('align', options.scripts, 'scripts', options);
  const summary = { scripts: 0, aligned: 0, skippedDone: done.size, badLines: 0, steps: 0 };
  const seen = new Set<string>();
  let batch: ScriptRecord[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (!batch.length) return;
    const result = await aligner.align(batch, options.align);
    const lines = batch.map((script, i) =>
      JSON.stringify({
        id: script.id,
        objective: script.objective,
        model: result.model,
        threshold: result.threshold,
        scoring: result.scoring,
        steps: result.scripts[i],
      }),
    );
    // One write per batch: a crash leaves at most one torn line, which the next run removes.
    writeSync(fd, `${lines.join('\n')}\n`);
    summary.aligned += batch.length;
    summary.steps += batch.reduce((n, s) => n + s.steps.length, 0);
    progress.update(batchBytes, batch.length);
    batch = [];
    batchBytes = 0;
  };
  try {
    for await (const line of readLines(options.scripts)) {
      batchBytes += line.bytes;
      const parsed = parseLine(scriptSchema, line);
      if (!parsed.ok) {
        summary.badLines++;
        if (options.strict) throw new Error(`${parsed.error} (--strict; ${summary.aligned} scripts written before it)`);
        options.stderr.write(`skipped ${parsed.error}\n`);
        continue;
      }
      summary.scripts++;
      const id = parsed.value.id;
      if (done.has(id)) continue;
      if (seen.has(id)) {
        options.stderr.write(`skipped line ${line.lineNo}: duplicate script id ${JSON.stringify(id)}\n`);
        continue;
      }
      seen.add(id);
      batch.push(parsed.value);
      if (batch.length >= options.batchSize) await flush();
    }
    await flush();
  } finally {
    closeSync(fd);
    progress.finish();
  }
  const seconds = (performance.now() - started) / 1000;
  return { ...summary, seconds, stepsPerSecond: seconds > 0 ? summary.steps / seconds : 0 };
}

/**
 * Ids already written to `out`, streamed (outputs can be gigabytes). Cuts off everything from the
 * first torn or unparsable line on, including a last line without its newline, so appends start clean.
 * Refuses, changing nothing, an output written under another scoring (lines from before scorings
 * were recorded are the default's): resuming would mix two scorings in one file.
 */
async function recoverOutput(out: string, scoring: Scoring): Promise<Set<string>> {
  const ids = new Set<string>();
  if (!existsSync(out)) return ids;
  const size = statSync(out).size;
  let good = 0;
  let offset = 0;
  const wanted = JSON.stringify(scoring);
  let other: { line: number; scoring: string } | undefined;
  const rl = createInterface({ input: createReadStream(out, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of rl) {
    const end = offset + Buffer.byteLength(line) + 1;
    let record: { id?: unknown; scoring?: Partial<Scoring> };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      break;
    }
    if (typeof record.id !== 'string' || end > size) break;
    const written = JSON.stringify(completeScoring(record.scoring ?? {}));
    if (written !== wanted) {
      other = { line: ids.size + 1, scoring: written };
      break;
    }
    ids.add(record.id);
    offset = good = end;
  }
  rl.close();
  if (other)
    throw new CommandFailure(
      `${out} line ${other.line} was aligned with scoring ${other.scoring}, not ${wanted}: resuming would mix two scorings in one file; give another --out, or the same scoring options as before`,
    );
  if (good < size) truncateSync(out, good);
  return ids;
}

export const alignCommand = defineCommand({
  name: 'align',
  summary: 'bulk-align scripts, resumable',
  operands: { scripts: existing('scripts, one JSON object per line', 'SCRIPTS.jsonl') },
  options: {
    out: text('results, one line per script; a rerun resumes after the scripts already there', 'OUT.jsonl'),
    k: kOption,
    threshold: thresholdOption,
    match: choice('product texts the steps are matched against', alignOptionsShape.match, 'MODE'),
    categories: list('only products in any of these categories', alignOptionsShape.filter.unwrap().shape.categories),
    ...scoringOptions,
    'batch-size': scriptBatchSize,
    strict: flag('stop at the first bad line instead of skipping it'),
    ...storeOptions,
  },
  refine: (o) => scoringProblems(o),
  run: (o, context) =>
    printSummary(context, (services) =>
      alignFile(services.aligner, {
        scripts: o.scripts,
        out: o.out,
        align: {
          k: o.k,
          threshold: o.threshold,
          match: o.match,
          filter: o.categories ? { categories: o.categories } : undefined,
          scoring: scoringOf(o),
        },
        batchSize: o['batch-size'],
        strict: o.strict,
        stderr: context.stderr,
      }),
    ),
});
