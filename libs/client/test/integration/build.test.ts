import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { writeDist } from '../../build.ts';

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
