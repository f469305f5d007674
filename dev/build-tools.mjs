// Builds the local stack's commands (dev/cli/*.ts) into .dev/build, one
// ES module each, leaving packages to node_modules. Plain JavaScript: it
// runs before anything is built.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const commands = join(root, 'dev', 'cli');
const output = join(root, '.dev');

await mkdir(output, { recursive: true });
// .dev holds built and packaged code, S3 objects and dead letters: none of
// it is the project's source, so Biome leaves the whole folder alone.
await writeFile(
  join(output, 'biome.json'),
  `${JSON.stringify({ root: false, files: { includes: ['!**'] } }, null, 2)}\n`,
);

await build({
  entryPoints: (await readdir(commands))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(commands, name)),
  outdir: join(output, 'build'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning',
});
