/** Where e2e screenshots go: e2e-artifacts/ (kept by CI as test artifacts). */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path for an artifact file, creating the folder. */
export function artifactPath(name: string): string {
  const dir = resolve(fileURLToPath(new URL('../../e2e-artifacts', import.meta.url)));
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
