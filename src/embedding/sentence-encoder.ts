/**
 * SentenceEncoder: a transformers.js tokenizer and ONNX model run the way sentence-transformers runs them.
 *
 * transformers.js's feature-extraction pipeline is not used, because its truncation differs from
 * sentence-transformers': it cuts the finished id list at the limit, dropping the closing [SEP], where the
 * Hugging Face tokenizers that sentence-transformers uses cut the text and keep [CLS] … [SEP]. On texts
 * past 256 word pieces that moved vectors to a cosine of 0.9992 with sentence-transformers' (measured on
 * the reference texts of models/…/reference); with the special tokens kept, the reference agrees to 1e-6.
 *
 * Steps per batch: encode each text with its special tokens; truncate to the model's limit keeping the
 * trailing special tokens; pad to the longest text; run the model; mean-pool the last hidden state over
 * the attention mask; L2-normalise (done by the caller).
 */
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';

type TensorClass = typeof Tensor;

export class SentenceEncoder {
  /** Ids the post-processor puts after the text ([SEP] for BERT), kept when a text is truncated. */
  private readonly trailingSpecials: number;

  constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    private readonly TensorType: TensorClass,
    /** Most word pieces per text, special tokens included (sentence-transformers' max_seq_length). */
    readonly maxLength: number,
  ) {
    const withSpecials = tokenizer.encode('a');
    const plain = tokenizer.encode('a', { add_special_tokens: false });
    const at = withSpecials.findIndex((id, i) => withSpecials.slice(i, i + plain.length).every((x, j) => x === plain[j]));
    this.trailingSpecials = at < 0 ? 0 : withSpecials.length - at - plain.length;
  }

  /** Word-piece ids of one text, special tokens included, truncated as sentence-transformers does. */
  ids(text: string): number[] {
    const ids = this.tokenizer.encode(text);
    if (ids.length <= this.maxLength) return ids;
    const keepTail = this.trailingSpecials;
    return [...ids.slice(0, this.maxLength - keepTail), ...ids.slice(ids.length - keepTail)];
  }

  /** The model's last hidden state for texts already turned into ids, padded to the longest. */
  private async lastHidden(encoded: readonly number[][]): Promise<{ hidden: Tensor; width: number }> {
    const n = encoded.length;
    const width = Math.max(1, ...encoded.map((ids) => ids.length));
    const inputIds = new BigInt64Array(n * width);
    const mask = new BigInt64Array(n * width);
    for (let r = 0; r < n; r++) {
      const ids = encoded[r];
      for (let c = 0; c < ids.length; c++) {
        inputIds[r * width + c] = BigInt(ids[c]);
        mask[r * width + c] = 1n;
      }
    }
    const dims = [n, width];
    const output = (await this.model({
      input_ids: new this.TensorType('int64', inputIds, dims),
      attention_mask: new this.TensorType('int64', mask, dims),
      token_type_ids: new this.TensorType('int64', new BigInt64Array(n * width), dims),
    })) as { last_hidden_state?: Tensor };
    const hidden = output.last_hidden_state;
    if (!hidden || hidden.dims.length !== 3 || hidden.dims[0] !== n || hidden.dims[1] !== width || !(hidden.dims[2] > 0)) {
      const got = hidden ? `[${hidden.dims.join(', ')}]` : 'no last_hidden_state';
      throw new Error(`expected a last hidden state of [${n}, ${width}, hidden size], got ${got}; is this a sentence-embedding model?`);
    }
    return { hidden, width };
  }

  /**
   * Mean-pooled (not yet normalised) embeddings of texts already turned into ids (`ids`), written row by
   * row into `out` at `rows[i]`.
   */
  async encodeInto(encoded: readonly number[][], out: Float32Array, rows: readonly number[], dimension: number): Promise<void> {
    const { hidden, width } = await this.lastHidden(encoded);
    if (hidden.dims[2] !== dimension) {
      hidden.dispose?.();
      throw new Error(`expected a hidden size of ${dimension}, got ${hidden.dims[2]}`);
    }
    const data = hidden.data as Float32Array;
    for (let r = 0; r < encoded.length; r++) {
      const len = encoded[r].length;
      const v = out.subarray(rows[r] * dimension, (rows[r] + 1) * dimension);
      v.fill(0);
      for (let c = 0; c < len; c++) {
        const base = (r * width + c) * dimension;
        for (let k = 0; k < dimension; k++) v[k] += data[base + k];
      }
      for (let k = 0; k < dimension; k++) v[k] /= len;
    }
    hidden.dispose?.();
  }

  /** Width of the hidden state, learnt from one probe run. */
  async probeDimension(): Promise<number> {
    const { hidden } = await this.lastHidden([this.ids('dimension probe')]);
    const d = hidden.dims[2];
    hidden.dispose?.();
    return d;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
