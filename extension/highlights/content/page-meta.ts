/** What the background needs to file a page's highlights: its URL, canonical link and title. */
export function pageMeta(doc: Document = document): { url: string; canonicalUrl: string | null; title: string } {
  const link = doc.querySelector<HTMLLinkElement>('link[rel~="canonical" i][href]');
  let canonicalUrl: string | null = null;
  if (link) {
    try {
      canonicalUrl = new URL(link.getAttribute('href')!, doc.baseURI).href;
    } catch {
      canonicalUrl = null;
    }
  }
  return { url: doc.location?.href ?? doc.URL, canonicalUrl: canonicalUrl && canonicalUrl.length <= 8192 ? canonicalUrl : null, title: (doc.title ?? '').slice(0, 4096) };
}
