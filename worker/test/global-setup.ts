import type { TestProject } from 'vitest/node';
import { startOpenAiTestDouble } from '../../extension/test-support/openai-test-double';
import { startStripeTestDouble } from './stripe-test-double';
import { startShopifyStoreDouble, twoStores } from './shopify-store-test-double';
import { startWebTestDouble } from './web-test-double';
import { startEmbeddingsTestDouble } from './embeddings-test-double';

declare module 'vitest' {
  export interface ProvidedContext {
    llmBaseUrl: string;
    stripeBaseUrl: string;
    /** Host:port of the two Shopify store test doubles (coffee shop with MCP, electronics JSON-only). */
    shopifyStores: string[];
    webBaseUrl: string;
    /** The loopback OpenAI-compatible /v1/embeddings test double (merchant search by meaning). */
    embeddingsBaseUrl: string;
  }
}

// Runs in Node before the workerd tests: the OpenAI-compatible test double (the project's one,
// extension/test-support/openai-test-double.ts) listens on loopback and
// the tests get its URL through inject('llmBaseUrl').
export default async function setup(project: TestProject) {
  const double = await startOpenAiTestDouble({ grounded: true });
  project.provide('llmBaseUrl', double.url);
  const stripe = await startStripeTestDouble();
  project.provide('stripeBaseUrl', stripe.url);
  const stores = await Promise.all(twoStores().map(startShopifyStoreDouble));
  project.provide('shopifyStores', stores.map((s) => s.host));
  const web = await startWebTestDouble();
  project.provide('webBaseUrl', web.url);
  const embeddings = await startEmbeddingsTestDouble();
  project.provide('embeddingsBaseUrl', embeddings.url);
  return async () => {
    await embeddings.close();
    await double.close();
    await stripe.close();
    await web.close();
    await Promise.all(stores.map((s) => s.close()));
  };
}
