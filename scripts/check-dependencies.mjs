// Before `npm start` runs anything through npx: are the project's tools installed? Without this check a
// fresh checkout answers `npm start` with npx's own error (or an attempt to fetch wxt from the registry).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The commands `npm start` runs, each from the package that ships it. */
export const REQUIRED = [
  { bin: 'wxt', pkg: 'wxt' },
  { bin: 'wrangler', pkg: 'wrangler' },
];

/** Names of the packages whose command is missing under `root/node_modules`. */
export function missingDependencies(root) {
  return REQUIRED.filter(({ bin, pkg }) => !existsSync(join(root, 'node_modules', '.bin', bin)) || !existsSync(join(root, 'node_modules', pkg, 'package.json'))).map(
    ({ pkg }) => pkg,
  );
}

/** Exits with a sentence a person can act on when dependencies are missing. */
export function requireDependencies(root) {
  const missing = missingDependencies(root);
  if (missing.length === 0) return;
  console.error(`[start] the project's dependencies are not installed (missing: ${missing.join(', ')}).
[start] run npm install first, then npm start.`);
  process.exit(1);
}
