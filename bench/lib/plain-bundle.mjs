import { join } from 'node:path';
import { build } from 'esbuild';
import { CHILDREN_DIR } from './paths.mjs';

/**
 * The plain client as its own esbuild bundle, to show what bundling alone
 * changes in a cold start. Written to `outDir`.
 */
export async function bundlePlainClient(outDir) {
  const outfile = join(outDir, 'plain-client.bundle.cjs');
  await build({
    entryPoints: [join(CHILDREN_DIR, 'plain-client.mjs')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    logLevel: 'error',
  });
  return outfile;
}
