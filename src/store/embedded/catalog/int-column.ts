/** A growable Int32Array indexed by a dense non-negative integer (labels, product numbers). */
export class IntColumn {
  private data: Int32Array;

  constructor(
    initialCapacity = 1024,
    private readonly empty = -1,
  ) {
    this.data = new Int32Array(Math.max(16, initialCapacity)).fill(empty);
  }

  get(index: number): number {
    return index < this.data.length ? this.data[index] : this.empty;
  }

  set(index: number, value: number): void {
    if (index >= this.data.length) {
      let capacity = this.data.length;
      while (capacity <= index) capacity *= 2;
      const grown = new Int32Array(capacity).fill(this.empty);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[index] = value;
  }

  byteLength(): number {
    return this.data.byteLength;
  }
}
