/**
 * One shape for schema.org data whatever markup carried it. JSON-LD, and htmlmetaparser's microdata
 * and RDFa output (JSON-LD-like: arrays of values, `{ "@value" }` literals, nested nodes), all become
 * `SchemaNode`s: type names and property names without their vocabulary prefix ("http://schema.org/",
 * "schema:"), every property a list of strings or nested nodes.
 */

export type SchemaValue = string | SchemaNode;

export interface SchemaNode {
  types: string[];
  props: Map<string, SchemaValue[]>;
  /** The property path from the top-level node ('' for top level), e.g. "mainEntity", "itemListElement.item". */
  path: string;
  id: string | null;
}

const MAX_DEPTH = 12;
const MAX_NODES = 5000;

/** "http://schema.org/Product", "https://schema.org/Product", "schema:Product", and the retired
 * "http://data-vocabulary.org/Product" that older shops still write → "Product". */
export function localName(term: string): string {
  const t = term.trim();
  const m = /^(?:https?:\/\/(?:www\.)?(?:schema|data-vocabulary)\.org\/|schema:)(.+)$/i.exec(t);
  return m ? m[1]!.replace(/^\/+/, '') : t;
}

/** Properties whose value may be an `@id` reference to a node elsewhere in the same graph. */
const REFERENCE_PROPS = new Set(['offers', 'brand', 'manufacturer', 'aggregateRating', 'hasVariant', 'mainEntity', 'itemOffered', 'priceSpecification', 'seller', 'image', 'additionalProperty']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface Walk {
  count: number;
  all: SchemaNode[];
}

function literal(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function toValues(raw: unknown, path: string, depth: number, walk: Walk): SchemaValue[] {
  const list = Array.isArray(raw) ? raw : [raw];
  const out: SchemaValue[] = [];
  for (const item of list) {
    const lit = literal(item);
    if (lit !== null) {
      out.push(lit);
    } else if (isRecord(item)) {
      if ('@value' in item) {
        const v = literal(item['@value']);
        if (v !== null) out.push(v);
      } else if (Object.keys(item).length === 1 && typeof item['@id'] === 'string') {
        out.push(item['@id']);
      } else {
        const node = toNode(item, path, depth + 1, walk);
        if (node) out.push(node);
      }
    } else if (Array.isArray(item)) {
      out.push(...toValues(item, path, depth, walk));
    }
  }
  return out;
}

function toNode(raw: Record<string, unknown>, path: string, depth: number, walk: Walk): SchemaNode | null {
  if (depth > MAX_DEPTH || walk.count >= MAX_NODES) return null;
  walk.count++;
  const typeRaw = raw['@type'] ?? raw.type;
  const types = (Array.isArray(typeRaw) ? typeRaw : [typeRaw])
    .map((t) => literal(t))
    .filter((t): t is string => !!t)
    .flatMap((t) => t.split(/\s+/))
    .map(localName)
    .filter(Boolean);
  const node: SchemaNode = { types, props: new Map(), path, id: typeof raw['@id'] === 'string' ? raw['@id'] : null };
  walk.all.push(node);
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('@') || (key === 'type' && typeRaw === raw.type)) continue;
    const name = localName(key);
    const values = toValues(value, path ? `${path}.${name}` : name, depth, walk);
    if (values.length) node.props.set(name, [...(node.props.get(name) ?? []), ...values]);
  }
  return node;
}

/** Turns a parsed JSON-LD document or a markup graph into nodes; `@graph` members count as top level. */
export function toSchemaNodes(docs: unknown[]): { top: SchemaNode[]; all: SchemaNode[] } {
  const walk: Walk = { count: 0, all: [] };
  const top: SchemaNode[] = [];
  const visit = (doc: unknown) => {
    if (Array.isArray(doc)) return doc.forEach(visit);
    if (!isRecord(doc)) return;
    if (Array.isArray(doc['@graph']) || isRecord(doc['@graph'])) {
      visit(doc['@graph']);
      const rest = Object.keys(doc).filter((k) => k !== '@graph' && k !== '@context');
      if (!rest.length) return;
    }
    const node = toNode(doc, '', 0, walk);
    if (node) top.push(node);
  };
  docs.forEach(visit);
  // `"offers": {"@id": "#offer"}` names a node given elsewhere in the graph: put the node in its place.
  const byId = new Map(walk.all.filter((n) => n.id && n.props.size > 0).map((n) => [n.id!, n]));
  if (byId.size) {
    for (const node of walk.all) {
      for (const [prop, values] of node.props) {
        if (!REFERENCE_PROPS.has(prop)) continue;
        node.props.set(
          prop,
          values.map((v) => (typeof v === 'string' && byId.has(v) && byId.get(v) !== node ? byId.get(v)! : v)),
        );
      }
    }
  }
  return { top, all: walk.all };
}

/** Case-insensitive: pages write `"@type": "product"`, which a person (and this extractor) still reads as a Product. */
export function hasType(node: SchemaNode, ...types: string[]): boolean {
  const wanted = new Set(types.map((t) => t.toLowerCase()));
  return node.types.some((t) => wanted.has(t.toLowerCase()));
}

/** First string value of a property (a nested node gives its `name`, `@value`-like `value`, or `url`). */
export function text(node: SchemaNode | undefined, ...props: string[]): string | null {
  if (!node) return null;
  for (const prop of props) {
    for (const v of node.props.get(prop) ?? []) {
      if (typeof v === 'string') {
        if (v.trim()) return v.trim();
      } else {
        const inner = text(v, 'name', 'value', 'url', 'contentUrl');
        if (inner) return inner;
      }
    }
  }
  return null;
}

export function nodes(node: SchemaNode | undefined, ...props: string[]): SchemaNode[] {
  if (!node) return [];
  return props.flatMap((p) => (node.props.get(p) ?? []).filter((v): v is SchemaNode => typeof v !== 'string'));
}

export function strings(node: SchemaNode | undefined, prop: string): string[] {
  if (!node) return [];
  return (node.props.get(prop) ?? []).filter((v): v is string => typeof v === 'string').map((s) => s.trim()).filter(Boolean);
}
