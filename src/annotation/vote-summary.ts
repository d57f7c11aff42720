import { fleissKappa } from './agreement.js';

/** How labels that came from `annotate`'s majority vote were made: items, votes each, agreement. */
export interface VoteSummary {
  /** Labels carrying a vote count (the rest of the file, if any, were single labels). */
  items: number;
  votes: { min: number; median: number; max: number };
  /** Mean share of an item's votes that agree with its majority label. */
  meanAgreement: number | null;
  /** Fleiss' κ of these items, rebuilt from label, votes and agreement; null when undefined. */
  fleissKappa: number | null;
}

export interface VotedLabel {
  label: boolean;
  votes?: number;
  agreement?: number;
}

/**
 * From exported majority labels back to the agreement they came with. An item's votes for its
 * label are round(agreement × votes), so the per-item counts Fleiss' κ needs can be rebuilt.
 * Items without `agreement` count for votes only. null when no label carries a vote count.
 */
export function voteSummary(labels: readonly VotedLabel[]): VoteSummary | null {
  const voted = labels.filter((l) => l.votes !== undefined);
  if (voted.length === 0) return null;
  const counts = voted.map((l) => l.votes!).sort((a, b) => a - b);
  const withAgreement = voted.filter((l) => l.agreement !== undefined);
  const rows = withAgreement.map((l) => {
    const majority = Math.round(l.agreement! * l.votes!);
    const ones = l.label ? majority : l.votes! - majority;
    return [l.votes! - ones, ones];
  });
  return {
    items: voted.length,
    votes: { min: counts[0], median: counts[Math.floor((counts.length - 1) / 2)], max: counts[counts.length - 1] },
    meanAgreement: withAgreement.length ? withAgreement.reduce((s, l) => s + l.agreement!, 0) / withAgreement.length : null,
    fleissKappa: fleissKappa(rows),
  };
}
