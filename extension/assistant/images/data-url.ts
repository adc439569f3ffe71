import type { GeneratedImage } from '@shared/schemas/web-search';
import type { z } from 'zod';

/**
 * A generated image as a `data:` URL. Chosen over a `blob:` URL for what goes into an editor: a blob
 * URL belongs to the document that made it and dies with it, so a post saved or sent with one shows a
 * broken image everywhere else; a data: URL carries the bytes in the markup and survives save, copy
 * and send wherever the editor keeps inline images (see README.md in this folder for the trade-off).
 */

type Image = z.infer<typeof GeneratedImage>;

export function toDataUrl(image: Image): string {
  return `data:${image.mimeType};base64,${image.base64}`;
}

/** Bytes the image takes (for the preview's caption). */
export function byteSize(image: Image): number {
  const padding = image.base64.endsWith('==') ? 2 : image.base64.endsWith('=') ? 1 : 0;
  return Math.floor((image.base64.length * 3) / 4) - padding;
}

/** A file name from the prompt's first words: `illustration-for-this-post-2.png`. */
export function downloadName(prompt: string, mimeType: Image['mimeType'], index: number): string {
  const words = prompt
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w && !['an', 'a', 'the'].includes(w))
    .slice(0, 6)
    .join('-');
  return `${words || 'image'}-${index + 1}.${mimeType === 'image/jpeg' ? 'jpg' : 'png'}`;
}
