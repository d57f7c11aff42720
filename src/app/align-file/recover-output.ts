import { createReadStream, existsSync, statSync, truncateSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { completeScoring, type Scoring } from '../../align/scoring/scoring.js';
import { UseCaseFailure } from '../shared/use-case-failure.js';

/**
 * Ids already written to `out`, streamed (outputs can be gigabytes). Cuts off everything from the
 * first torn or unparsable line on, including a last line without its newline, so appends start clean.
 * Refuses, changing nothing, an output written under another scoring (lines from before scorings
 * were recorded are the default's): resuming would mix two scorings in one file.
 */
export async function recoverOutput(out: string, scoring: Scoring): Promise<Set<string>> {
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
    throw new UseCaseFailure(
      `${out} line ${other.line} was aligned with scoring ${other.scoring}, not ${wanted}: resuming would mix two scorings in one file; give another --out, or the same scoring options as before`,
    );
  if (good < size) truncateSync(out, good);
  return ids;
}
