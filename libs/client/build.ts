// Bundles the SDK with esbuild: the browser entry (one minified ESM file, every import inlined,
// which is what the size budget and the browser test measure) and the Node entry, plus type
// declarations. `pnpm build` in this folder writes them to dist/ (see publishConfig in
// package.json); the tests call these functions directly.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';

const root = fileURLToPath(new URL('.', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

/** The budget for the browser bundle, minified and gzipped (docs/client.md). */
export const BROWSER_BUDGET_GZIP = 15 * 1024;

const common: BuildOptions = { bundle: true, format: 'esm', target: 'es2022', absWorkingDir: root, legalComments: 'none' };

export interface Bundle {
  code: string;
  minifiedBytes: number;
  gzipBytes: number;
}

/** The browser entry, minified; `platform: 'browser'` makes any Node built-in a build error. */
export async function bundleBrowser(): Promise<Bundle> {
  const result = await build({ ...common, write: false, entryPoints: ['src/index.ts'], platform: 'browser', minify: true });
  const code = result.outputFiles![0]!.text;
  return { code, minifiedBytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).length };
}

/** dist/index.js (browser), dist/node.js (Node, `ws` left external) and dist/types/*.d.ts. */
export async function writeDist(outDir = join(root, 'dist')): Promise<void> {
  await build({ ...common, entryPoints: ['src/index.ts'], platform: 'browser', minify: true, sourcemap: true, outfile: join(outDir, 'index.js') });
  await build({ ...common, entryPoints: ['src/node.ts'], platform: 'node', external: ['ws'], sourcemap: true, outfile: join(outDir, 'node.js') });
  const types = join(outDir, 'types');
  const emitted = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', types], { encoding: 'utf8' });
  if (emitted.status !== 0) throw new Error(`type declarations failed:\n${emitted.stdout}${emitted.stderr}`);
  // Sources import './x.ts'; published declarations must name './x.js'.
  for (const file of readdirSync(types, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.d.ts'))) {
    const path = join(types, file);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/(from '\.{1,2}\/[^']+)\.ts'/g, "$1.js'"));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeDist();
  const size = await bundleBrowser();
  console.log(`dist/index.js: ${size.minifiedBytes} bytes minified, ${size.gzipBytes} gzipped (budget ${BROWSER_BUDGET_GZIP})`);
}
