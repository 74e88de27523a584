// Bundles the SDK with esbuild: the browser entry (one minified ESM file, every import inlined,
// which is what the size budget and the browser test measure) and the Node entry. `pnpm build`
// in this folder writes both to dist/; the tests call bundleBrowser() directly.
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The budget for the browser bundle, minified and gzipped (docs/client.md). */
export const BROWSER_BUDGET_GZIP = 15 * 1024;

const common: BuildOptions = { bundle: true, format: 'esm', target: 'es2022', absWorkingDir: root, write: false, legalComments: 'none' };

export interface Bundle {
  code: string;
  minifiedBytes: number;
  gzipBytes: number;
}

/** The browser entry, minified; `platform: 'browser'` makes any Node built-in a build error. */
export async function bundleBrowser(): Promise<Bundle> {
  const result = await build({ ...common, entryPoints: ['src/index.ts'], platform: 'browser', minify: true });
  const code = result.outputFiles![0]!.text;
  return { code, minifiedBytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).length };
}

async function writeDist(): Promise<void> {
  await build({ ...common, write: true, entryPoints: ['src/index.ts'], platform: 'browser', minify: true, sourcemap: true, outfile: 'dist/index.js' });
  await build({ ...common, write: true, entryPoints: ['src/node.ts'], platform: 'node', external: ['ws'], sourcemap: true, outfile: 'dist/node.js' });
  const size = await bundleBrowser();
  console.log(`dist/index.js: ${size.minifiedBytes} bytes minified, ${size.gzipBytes} gzipped (budget ${BROWSER_BUDGET_GZIP})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await writeDist();
