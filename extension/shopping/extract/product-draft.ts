import type { ProductSource, ProductSpec, ProductVariant } from '@shared/schemas/products';

/** What one markup source says about a product; the extractor merges drafts into one product. */
export interface ProductDraft {
  source: ProductSource;
  name: string | null;
  brand: string | null;
  model: string | null;
  gtin: string | null;
  mpn: string | null;
  sku: string | null;
  price: number | null;
  currency: string | null;
  availability: string | null;
  variants: ProductVariant[];
  specs: ProductSpec[];
  rating: number | null;
  reviewCount: number | null;
  image: string | null;
  storeName: string | null;
  /** From a node typed only loosely ("product" in lower case): read after the strict sources and OpenGraph. */
  loose?: boolean;
}

export function emptyDraft(source: ProductSource): ProductDraft {
  return {
    source,
    name: null,
    brand: null,
    model: null,
    gtin: null,
    mpn: null,
    sku: null,
    price: null,
    currency: null,
    availability: null,
    variants: [],
    specs: [],
    rating: null,
    reviewCount: null,
    image: null,
    storeName: null,
  };
}
