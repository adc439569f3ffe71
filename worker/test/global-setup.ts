import type { TestProject } from 'vitest/node';
import { startLlmTestDouble } from './llm-test-double';

declare module 'vitest' {
  export interface ProvidedContext {
    llmBaseUrl: string;
  }
}

// Runs in Node before the workerd tests: the OpenAI-compatible test double listens on loopback and
// the tests get its URL through inject('llmBaseUrl').
export default async function setup(project: TestProject) {
  const double = await startLlmTestDouble();
  project.provide('llmBaseUrl', double.url);
  return () => double.close();
}
