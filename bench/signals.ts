import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseHTML } from 'linkedom';
import { extractPage } from '../extension/capture/content/extract-page';
import { computeSignals } from '../shared/signals/content-signals';
import { measureDom } from '../shared/signals/dom-measures';
import type { ContentSignals } from '../shared/schemas/signals';

/**
 * Spam detection of the content signals on the labelled set in bench/collections/spam-signals: each page
 * goes through the same reader as the crawler and capture (extractPage + measureDom), then
 * computeSignals. A page the reader skips (no readable text) would never be stored; it is still scored
 * on its body text so the detector is measured on every labelled page, and counted in `unread`.
 */

interface Label {
  page: string;
  source: 'pages' | 'reference';
  label: 'spam' | 'ham';
  split: 'fit' | 'held-out';
}

export interface ScoredPage extends Label {
  signals: ContentSignals;
  unread: boolean;
}

export function scorePages(root: string, referenceDir: string): ScoredPage[] {
  const dir = resolve(root, 'bench/collections/spam-signals');
  const labels = JSON.parse(readFileSync(resolve(dir, 'labels.json'), 'utf8')) as Label[];
  return labels.map((l) => {
    const file = l.source === 'pages' ? resolve(dir, 'pages', `${l.page}.html`) : resolve(referenceDir, l.page, 'source.html');
    const { document } = parseHTML(readFileSync(file, 'utf8'));
    const doc = document as unknown as Document;
    const dom = measureDom(doc);
    const read = extractPage(doc);
    const unread = !('page' in read);
    const text = 'page' in read ? read.page.text : (doc.body?.textContent ?? '').trim();
    const title = 'page' in read ? read.page.title : doc.title;
    return { ...l, unread, signals: computeSignals({ text, title, dom, declaredLang: 'page' in read ? read.page.lang : '' }) };
  });
}

export function precisionRecall(pages: readonly ScoredPage[]) {
  const tp = pages.filter((p) => p.label === 'spam' && p.signals.spam).length;
  const fp = pages.filter((p) => p.label === 'ham' && p.signals.spam).length;
  const fn = pages.filter((p) => p.label === 'spam' && !p.signals.spam).length;
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    pages: pages.length,
    spam: pages.filter((p) => p.label === 'spam').length,
    precision: r3(precision),
    recall: r3(recall),
    f1: r3(f1),
    falsePositives: pages.filter((p) => p.label === 'ham' && p.signals.spam).map((p) => p.page),
    falseNegatives: pages.filter((p) => p.label === 'spam' && !p.signals.spam).map((p) => p.page),
    unread: pages.filter((p) => p.unread).length,
  };
}
