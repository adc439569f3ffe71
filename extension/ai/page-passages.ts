import { sentenceSpans } from './chunker';

/** The page cut into passages of whole sentences (about `size` characters each). */
export function pagePassages(text: string, size = 900): string[] {
  const passages: string[] = [];
  let current = '';
  for (const span of sentenceSpans(text)) {
    const sentence = text.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
    if (!sentence) continue;
    if (current && current.length + sentence.length + 1 > size) {
      passages.push(current);
      current = '';
    }
    current = current ? `${current} ${sentence}` : sentence;
  }
  if (current) passages.push(current);
  return passages;
}
