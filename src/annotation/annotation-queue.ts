/**
 * Which item an annotator gets next. Pure: the caller passes what the label store knows.
 *
 * - Never an item this annotator has already been shown (labelled, skipped or open), and never an
 *   item that already has `votes` labels.
 * - Items still short of votes once the labels in progress are counted come first, and among them
 *   the ones with the most labels, so that several annotators complete items instead of all
 *   starting new ones; then the set's order (a script's items stay together).
 * - Gold checks (items with a known answer) are mixed in at `goldRate`: the n-th item served is a
 *   gold check when that keeps the annotator's gold share at or under the rate. When one kind runs
 *   out the other is served, so every item is eventually labelled.
 */
export interface QueueInput {
  /** The task's item ids in the set's order. */
  order: readonly string[];
  /** Ids of the task's gold checks. */
  gold: ReadonlySet<string>;
  votes: number;
  goldRate: number;
  /** Labels per item, all annotators. */
  labels: ReadonlyMap<string, number>;
  /** Items currently shown to some annotator and not yet answered. */
  open: ReadonlyMap<string, number>;
  /** Items this annotator has been shown. */
  seen: ReadonlySet<string>;
  /** How many of those were gold checks. */
  seenGold: number;
}

export function pickNext(input: QueueInput): string | undefined {
  const wantGold = input.gold.size > 0 && Math.floor((input.seen.size + 1) * input.goldRate + 1e-9) > input.seenGold;
  return best(input, wantGold) ?? best(input, !wantGold);
}

function best(input: QueueInput, gold: boolean): string | undefined {
  let pick: string | undefined;
  let pickRank = -Infinity;
  for (const id of input.order) {
    if (input.gold.has(id) !== gold || input.seen.has(id)) continue;
    const labels = input.labels.get(id) ?? 0;
    if (labels >= input.votes) continue;
    const short = labels + (input.open.get(id) ?? 0) < input.votes;
    // Short of votes first, then most labels; the first in order wins a tie (strict >).
    const rank = (short ? input.votes + 1 : 0) + labels;
    if (rank > pickRank) {
      pick = id;
      pickRank = rank;
    }
  }
  return pick;
}
