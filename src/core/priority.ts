/**
 * Whose work it is. A live lookup (`/align`, a small batch) is interactive; a benchmark builder's
 * large batch and a catalog write are bulk. Interactive work goes first at every queue it meets
 * (admission, the embedding model, the search workers, response writing) and bulk work is cut
 * into slices, so a live lookup waits at most one slice of bulk work wherever it runs (the
 * micro-partitioning of Dean and Barroso's "The Tail at Scale").
 */
export type Priority = 'interactive' | 'bulk';

/** The options every queued call may carry. Absent priority: interactive. */
export interface PriorityOptions {
  priority?: Priority;
}
