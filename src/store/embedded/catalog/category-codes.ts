/**
 * Category names as small integers, so a product → category map fits an Int32Array (IntColumn)
 * and a filter compares numbers. Codes are local to one map (the store's and each replica's own).
 */
export class CategoryCodes {
  private readonly codes = new Map<string, number>();

  /** The code of `category`, assigned on first sight; -1 for none. */
  codeOf(category: string | null): number {
    if (category === null) return -1;
    let code = this.codes.get(category);
    if (code === undefined) {
      code = this.codes.size;
      this.codes.set(category, code);
    }
    return code;
  }

  /** The code of a known category, or -2 (matching no product) for one never seen. */
  lookup(category: string): number {
    return this.codes.get(category) ?? -2;
  }
}
