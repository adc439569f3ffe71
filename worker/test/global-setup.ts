import type { TestProject } from 'vitest/node';
import { startLlmTestDouble } from './llm-test-double';
import { startStripeTestDouble } from './stripe-test-double';

declare module 'vitest' {
  export interface ProvidedContext {
    llmBaseUrl: string;
    stripeBaseUrl: string;
  }
}

// Runs in Node before the workerd tests: the OpenAI-compatible test double listens on loopback and
// the tests get its URL through inject('llmBaseUrl').
export default async function setup(project: TestProject) {
  const double = await startLlmTestDouble();
  project.provide('llmBaseUrl', double.url);
  const stripe = await startStripeTestDouble();
  project.provide('stripeBaseUrl', stripe.url);
  return async () => {
    await double.close();
    await stripe.close();
  };
}
