import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Selector } from '@shared/schemas/records';

/** Test helper: the third-party fixture pages and annotations copied beside the tests (see LICENSEs). */

export function fixtureText(name: string): string {
  return readFileSync(resolve(__dirname, 'fixtures', name), 'utf8');
}

/** Loads a whole page as the test window's document (its body replaced; head left alone) and returns
 * it. Stylesheet links and sources are neutered so nothing is fetched. The global document is used
 * because happy-dom's Range misbehaves in documents made by DOMParser. */
export function loadPage(html: string): Document {
  const safe = html.replace(/rel="stylesheet"/g, '').replace(/\ssrc=/g, ' data-src=');
  const parsed = new DOMParser().parseFromString(safe, 'text/html');
  document.body.replaceWith(document.importNode(parsed.body, true));
  return document;
}

export function fixtureDocument(name: string): Document {
  return loadPage(fixtureText(name));
}

/** A fragment fixture as the body of the document. */
export function fragmentDocument(name: string): Document {
  return loadPage(`<!DOCTYPE html><html><head></head><body>${fixtureText(name)}</body></html>`);
}

export interface FixtureAnnotation {
  id: string;
  selectors: Selector[];
}

export function fixtureAnnotations(name: string): FixtureAnnotation[] {
  const json = JSON.parse(fixtureText(name)) as { rows: { id: string; target: { selector: Selector[] }[] }[] };
  return json.rows.map((row) => ({ id: row.id, selectors: row.target[0]!.selector }));
}
