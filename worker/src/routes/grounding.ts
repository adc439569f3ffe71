import { Hono } from 'hono';
import { ImageRequest, WebSearchRequest } from '../../../shared/schemas/web-search';
import { spend, usageHeaders } from '../billing/entitlements';
import type { AppEnv } from '../http/context';
import { readJson } from '../http/validate';
import { generateImages } from '../images/generate-images';
import { webSearch } from '../web-search/web-search';

/** Web search (for grounded answers) and image generation, each on its plan's quota. */
export const groundingRoutes = new Hono<AppEnv>()
  .post('/web-search', async (c) => {
    const body = await readJson(c, WebSearchRequest);
    return c.json(await webSearch(c.env, c.get('auth').userId, body.q, body.count));
  })
  .post('/image', async (c) => {
    const body = await readJson(c, ImageRequest);
    const grant = await spend(c.env, c.get('auth').userId, 'images', body.n);
    try {
      const result = await generateImages(c.env, body);
      return c.json(result, 200, usageHeaders(grant));
    } catch (error) {
      await grant.release();
      throw error;
    }
  });
