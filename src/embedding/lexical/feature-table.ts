/**
 * The features of one text, before they are hashed into dimensions: open addressing keyed by the 32-bit
 * feature hash, counting repeats. Reused from text to text (clear() only resets the slots used), so embedding
 * allocates no table per text.
 */
import { fmix32 } from '../text-vectors/murmur3-fmix32.js';

export class FeatureTable {
  private capacity = 0;
  private mask = 0;
  private keys = new Int32Array(0);
  private counts = new Uint16Array(0);
  private weights = new Float32Array(0);
  /** Slot index of each distinct feature, in insertion order. */
  private slots = new Int32Array(0);
  private used = new Uint8Array(0);
  size = 0;

  constructor(initialCapacity = 1024) {
    this.allocate(initialCapacity);
  }

  private allocate(capacity: number): void {
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.keys = new Int32Array(capacity);
    this.counts = new Uint16Array(capacity);
    this.weights = new Float32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.slots = new Int32Array(capacity);
    this.size = 0;
  }

  clear(): void {
    for (let i = 0; i < this.size; i++) this.used[this.slots[i]] = 0;
    this.size = 0;
  }

  /** Records one occurrence of feature `hash` with weight `w` (a repeated feature keeps its largest weight). */
  add(hash: number, w: number): void {
    if ((this.size + 1) * 2 > this.capacity) this.grow();
    let slot = fmix32(hash) & this.mask;
    while (this.used[slot] === 1) {
      if (this.keys[slot] === hash) {
        if (this.counts[slot] < 0xffff) this.counts[slot]++;
        if (w > this.weights[slot]) this.weights[slot] = w;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    this.used[slot] = 1;
    this.keys[slot] = hash;
    this.counts[slot] = 1;
    this.weights[slot] = w;
    this.slots[this.size++] = slot;
  }

  private grow(): void {
    const { keys, counts, weights, slots, size } = this;
    const oldSlots = slots.slice(0, size);
    this.allocate(this.capacity * 2);
    for (let i = 0; i < size; i++) {
      const s = oldSlots[i];
      let slot = fmix32(keys[s]) & this.mask;
      while (this.used[slot] === 1) slot = (slot + 1) & this.mask;
      this.used[slot] = 1;
      this.keys[slot] = keys[s];
      this.counts[slot] = counts[s];
      this.weights[slot] = weights[s];
      this.slots[this.size++] = slot;
    }
  }

  /** Adds every feature into `out` (a view of `dimension` floats) with signed hashing and 1 + ln(tf). */
  scatter(out: Float32Array, dimension: number): void {
    for (let i = 0; i < this.size; i++) {
      const slot = this.slots[i];
      const h = fmix32(this.keys[slot] ^ 0x5bd1_e995);
      const index = (h & 0x7fff_ffff) % dimension;
      const count = this.counts[slot];
      const value = this.weights[slot] * (count === 1 ? 1 : 1 + Math.log(count));
      out[index] += h < 0 ? -value : value;
    }
  }
}
