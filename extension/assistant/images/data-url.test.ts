import { describe, expect, it } from 'vitest';
import { ImageDataUrl } from '@shared/schemas/images';
import { byteSize, downloadName, toDataUrl } from './data-url';

const PNG_B64 = 'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAIAgAAAABLbSs=';

describe('data URLs and file names', () => {
  it('a PNG becomes a data: URL the insert message accepts', () => {
    const url = toDataUrl({ mimeType: 'image/png', base64: PNG_B64 });
    expect(url).toBe(`data:image/png;base64,${PNG_B64}`);
    expect(ImageDataUrl.safeParse(url).success).toBe(true);
    expect(ImageDataUrl.safeParse('javascript:alert(1)').success).toBe(false);
    expect(ImageDataUrl.safeParse('data:text/html;base64,PHNjcmlwdD4=').success).toBe(false);
    expect(byteSize({ mimeType: 'image/png', base64: PNG_B64 })).toBe(Buffer.from(PNG_B64, 'base64').length);
  });

  it('names downloads after the prompt’s first words, with the type’s extension', () => {
    expect(downloadName('An illustration for this post: Tide pools!', 'image/png', 1)).toBe('illustration-for-this-post-tide-pools-2.png');
    expect(downloadName('¿?', 'image/jpeg', 0)).toBe('image-1.jpg');
  });
});
