/**
 * Embeds a batch with a per-text routine that writes into a zeroed slice: one allocation for the
 * whole batch, vectors returned as views into it (the Embedder port allows shared buffers).
 */
export function embedEach(texts: readonly string[], dimension: number, embedInto: (text: string, out: Float32Array) => void): Float32Array[] {
  const buffer = new Float32Array(texts.length * dimension);
  const out = new Array<Float32Array>(texts.length);
  for (let t = 0; t < texts.length; t++) {
    const v = buffer.subarray(t * dimension, (t + 1) * dimension);
    embedInto(String(texts[t] ?? ''), v);
    out[t] = v;
  }
  return out;
}

/** murmur3's 32-bit finaliser: spreads a weak hash's low bits before they pick a dimension. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h | 0;
}
