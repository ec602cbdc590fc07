import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root, from out/test/support/. */
export const repoRoot = resolve(__dirname, '..', '..', '..');

/**
 * The absolute path of a built artifact (dist/…). Tests use what `npm run build` made instead of
 * building again, and say how to make it when it is missing.
 */
export function builtFile(relative: string): string {
  const path = join(repoRoot, relative);
  if (!existsSync(path)) throw new Error(`${relative} is missing: run \`npm run build\` first (npm test does).`);
  return path;
}
