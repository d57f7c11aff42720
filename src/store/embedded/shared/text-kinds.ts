import type { TextKind } from '../../../core/product.js';

/**
 * Text kinds as the catalog stores them (a small integer per text) and as the indexes are keyed
 * (one index per kind). The codes are on disk: they never change.
 */

export const KINDS: readonly TextKind[] = ['intention', 'title'];

const KIND_CODE: Record<TextKind, number> = { intention: 0, title: 1 };

export function kindCode(kind: TextKind): number {
  return KIND_CODE[kind];
}

export function kindOf(code: number): TextKind {
  return KINDS[code];
}
