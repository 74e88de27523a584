import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, stop } from 'esbuild';

export type { ClusterSnapshot, ProcessView, Totals } from './admin/cluster.ts';

/** The pages logic serves; each has static/<page>/index.html and src/<page>/main.ts. */
export const PAGES = ['demo', 'admin'] as const;

export interface Asset {
  contentType: string;
  body: Buffer;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const STYLE = 'static/style.css';

/**
 * The pages' files, built from source the first time one is asked for: each page's script is the
 * page and the client SDK bundled by esbuild into one minified ES module (about 100 ms, once per
 * process), next to its HTML and the shared style sheet. Nothing is fetched from the network, no
 * build step runs at install, and what is served is always the checked-out source. A build that
 * fails is tried again at the next request.
 */
export class WebAssets {
  #built?: Promise<Map<string, Asset>>;

  /** The file at a URL path such as `/demo/` or `/admin/app.js`; undefined when there is none. */
  async get(path: string): Promise<Asset | undefined> {
    this.#built ??= buildPages().catch((error: unknown) => {
      this.#built = undefined;
      throw error;
    });
    return (await this.#built).get(path);
  }
}

async function buildPages(): Promise<Map<string, Asset>> {
  const result = await build({
    entryPoints: Object.fromEntries(PAGES.map((page) => [`${page}/app`, `src/${page}/main.ts`])),
    absWorkingDir: root,
    outdir: 'out',
    write: false,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent', // a failure is thrown, and logged by the request that asked
  });
  // esbuild's helper process is not needed until the next process start.
  await stop();
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) {
    assets.set(`/${file.path.slice(file.path.indexOf('/out/') + 5)}`, { contentType: 'text/javascript; charset=utf-8', body: Buffer.from(file.contents) });
  }
  const style = await readFile(`${root}/${STYLE}`);
  for (const page of PAGES) {
    const html = { contentType: 'text/html; charset=utf-8', body: await readFile(`${root}/static/${page}/index.html`) };
    assets.set(`/${page}/`, html);
    assets.set(`/${page}/index.html`, html);
    assets.set(`/${page}/style.css`, { contentType: 'text/css; charset=utf-8', body: style });
  }
  return assets;
}
