/** Where the bundle is written: docs-addon/src/prompts.generated.js. */
export const OUTPUT: string;
/** The bundle a build makes now (banner + esbuild IIFE defining the global `CalicoPrompts`). */
export function bundlePrompts(): Promise<string>;
