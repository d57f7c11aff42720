/**
 * Walking products in id order on Qdrant. Qdrant can order a scroll by an integer payload field but
 * not by a string, so each title point carries order keys: its product id's UTF-8 bytes in 6-byte
 * chunks, each read as a big-endian integer (48 bits, exact in a JSON number). Comparing the key
 * tuples agrees with comparing the ids byte-wise (SQLite's order, which the embedded store uses),
 * except that ids equal in their first 24 bytes tie; ties are broken on the client by the full id.
 */

export const ORDER_KEY_BYTES = 6;
export const ORDER_KEY_FIELDS = ['ok0', 'ok1', 'ok2', 'ok3'] as const;

export function orderKeys(id: string): number[] {
  const bytes = Buffer.from(id, 'utf8');
  return ORDER_KEY_FIELDS.map((_, level) => {
    let key = 0;
    for (let i = 0; i < ORDER_KEY_BYTES; i++) {
      const b = bytes[level * ORDER_KEY_BYTES + i] ?? 0;
      key = key * 256 + b;
    }
    return key;
  });
}

/** Byte-wise comparison of UTF-8 ids: the order of SQLite's BINARY collation. */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
