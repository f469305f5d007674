import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The checkout's root: the nearest folder above this module that holds
 * package.json. The dev tools run both from source (tests) and built into
 * .dev/build (npm scripts), so a fixed relative path would not do.
 */
export function repoRoot(from = fileURLToPath(import.meta.url)): string {
  let folder = dirname(from);
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) {
      throw new Error(`No package.json above ${from}: run from the checkout`);
    }
    folder = parent;
  }
  return folder;
}
