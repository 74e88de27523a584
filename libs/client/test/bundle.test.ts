import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { BROWSER_BUDGET_GZIP, bundleBrowser } from '../build.ts';
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
