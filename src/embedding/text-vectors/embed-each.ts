/**
 * Embeds a batch with a per-text routine that writes into a zeroed slice: one allocation for the
 * whole batch, vectors returned as views into it (the Embedder port allows shared buffers).
 */
export function embedEach(
  texts: readonly string[],
  dimension: number,
  embedInto: (text: string, out: Float32Array) => void,
): Float32Array[] {
  const buffer = new Float32Array(texts.length * dimension);
  const out = new Array<Float32Array>(texts.length);
  for (let t = 0; t < texts.length; t++) {
    const v = buffer.subarray(t * dimension, (t + 1) * dimension);
    embedInto(String(texts[t] ?? ''), v);
    out[t] = v;
  }
  return out;
}
