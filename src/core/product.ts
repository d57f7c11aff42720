/** The catalog's domain types. A product carries purchase intentions: short "why people buy it" sentences. */

export type TextKind = 'intention' | 'title';

export interface Product {
  id: string;
  title: string;
  category?: string;
  intentions: string[];
  attributes?: Record<string, unknown>;
}

/** One text of a product that gets embedded and indexed. */
export interface ProductText {
  kind: TextKind;
  text: string;
}

export const LIMITS = {
  maxIdLength: 128,
  maxTextLength: 1000,
  maxIntentionsPerProduct: 64,
  maxProductsPerBatch: 1000,
} as const;

/** The texts of a product that get embedded: its title, then each distinct intention. */
export function textsOf(product: Product): ProductText[] {
  const texts: ProductText[] = [{ kind: 'title', text: product.title }];
  const seen = new Set<string>();
  for (const intention of product.intentions) {
    if (seen.has(intention)) continue;
    seen.add(intention);
    texts.push({ kind: 'intention', text: intention });
  }
  return texts;
}
