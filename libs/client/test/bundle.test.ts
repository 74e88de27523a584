import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BROWSER_BUDGET_GZIP, bundleBrowser, writeDist } from '../build.ts';
import { ERROR_CODES } from '../src/index.ts';

it(`keeps the browser bundle under ${BROWSER_BUDGET_GZIP} bytes minified and gzipped, with no Node module`, async () => {
  const bundle = await bundleBrowser();
  console.log(`browser bundle: ${bundle.minifiedBytes} bytes minified, ${bundle.gzipBytes} bytes gzipped`);
  assert.ok(bundle.gzipBytes <= BROWSER_BUDGET_GZIP, `${bundle.gzipBytes} > ${BROWSER_BUDGET_GZIP}`);
  assert.doesNotMatch(bundle.code, /\bnode:|require\(|\bBuffer\b/);
});

it('documents every error code in docs/client.md', () => {
  const docs = readFileSync(new URL('../../../docs/client.md', import.meta.url), 'utf8');
  for (const code of ERROR_CODES) assert.match(docs, new RegExp(`\\| \`${code}\` \\|`), `${code} is not in the error table`);
  assert.equal(new Set(ERROR_CODES).size, ERROR_CODES.length);
});

it('builds the publishable files: both entries and their type declarations', async () => {
  const out = mkdtempSync(join(tmpdir(), 'imcluster-client-dist-'));
  try {
    await writeDist(out);
    writeFileSync(join(out, 'package.json'), '{"type":"module"}'); // as in the package
    const node = await import(pathToFileURL(join(out, 'node.js')).href);
    assert.equal(typeof node.createClient, 'function');
    assert.equal(typeof node.tcpTransport, 'function');
    const types = readFileSync(join(out, 'types', 'index.d.ts'), 'utf8');
    assert.match(types, /from '\.\/client\.js'/);
    assert.doesNotMatch(types, /\.ts'/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
