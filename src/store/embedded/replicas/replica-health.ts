import type { TextKind } from '../../../core/product.js';
import type { IndexCheckReport } from '../../../core/vector-store.js';
import type { ReplicaHealth } from '../shared/replica-messages.js';
import { KINDS } from '../shared/text-kinds.js';

/** How the health and check reports of several replicas read as one, for /readyz and metrics. */

/** Backlogs and failures at their worst, memory summed, texts the least any replica can return. */
export function combinedHealth(all: readonly ReplicaHealth[]): ReplicaHealth {
  const reports = all.map((h) => h.lastCheck).filter((c): c is IndexCheckReport => c !== undefined);
  return {
    pendingTexts: Math.max(0, ...all.map((h) => h.pendingTexts)),
    pendingRemovals: Math.max(0, ...all.map((h) => h.pendingRemovals)),
    indexFailures: all.reduce((n, h) => n + h.indexFailures, 0),
    consecutiveIndexFailures: Math.max(0, ...all.map((h) => h.consecutiveIndexFailures)),
    lastIndexError: all.find((h) => h.lastIndexError)?.lastIndexError,
    lastCheck: reports.length ? mergeReports(reports) : undefined,
    memoryBytes: all.reduce((n, h) => n + h.memoryBytes, 0),
    // What every replica can return: the smallest, so a lagging or broken replica shows.
    liveTexts: {
      intentions: Math.min(...all.map((h) => h.liveTexts.intentions)),
      titles: Math.min(...all.map((h) => h.liveTexts.titles)),
    },
  };
}

/** Sums the replicas' findings (each holds its own copy of the index, so each can miss texts of its own). */
export function mergeReports(reports: IndexCheckReport[]): IndexCheckReport {
  if (reports.length === 1) return reports[0];
  const sum = (pick: (r: IndexCheckReport) => Record<TextKind, number>) =>
    Object.fromEntries(KINDS.map((kind) => [kind, reports.reduce((n, r) => n + pick(r)[kind], 0)])) as Record<TextKind, number>;
  return {
    at: reports
      .map((r) => r.at)
      .sort()
      .at(-1)!,
    missing: sum((r) => r.missing),
    extra: sum((r) => r.extra),
    unreachable: sum((r) => r.unreachable),
    probed: reports.reduce((n, r) => n + r.probed, 0),
    checkedTexts: Math.max(...reports.map((r) => r.checkedTexts)),
  };
}
