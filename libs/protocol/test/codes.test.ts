import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BUSINESS_OP_MIN, CloseCode, Op, ProtocolError, closeCodeInfo, isReconnectCode } from '../src/index.ts';
import type { CloseCodeInfo, ProtocolErrorCode } from '../src/index.ts';

const infos = Object.entries(closeCodeInfo).map(([code, info]) => [Number(code), info] as [number, CloseCodeInfo]);

test('every close code is unique and described once, under its own name', () => {
  const values = Object.values(CloseCode);
  assert.equal(new Set(values).size, values.length);
  assert.deepEqual(infos.map(([code]) => code).sort(), [...values].sort());
  for (const [name, code] of Object.entries(CloseCode)) assert.equal(closeCodeInfo[code].name, name);
});

test('each code sits in the range that matches its reconnect flag', () => {
  for (const [code, info] of infos) {
    assert.ok(code >= 3000 && code < 4000, `${code} outside 3000-3999`);
    assert.equal(isReconnectCode(code), info.reconnect, `${info.name} (${code})`);
    assert.equal(info.reconnect, code < 3500, `${info.name} (${code})`);
  }
});

test('ProtocolError maps framing errors to close codes', () => {
  const map: Record<ProtocolErrorCode, number> = { BAD_HEADER_LEN: 3501, BAD_PACK_LEN: 3501, TRUNCATED: 3501, TOO_LARGE: 3502 };
  for (const [code, close] of Object.entries(map)) {
    const err = new ProtocolError(code as ProtocolErrorCode, 'x');
    assert.equal(err.closeCode, close);
    assert.ok(err instanceof Error);
  }
});

test('docs/protocol.md lists every close code with its name and reconnect advice', () => {
  const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');
  for (const [code, info] of infos) {
    const row = doc.split('\n').find((line) => line.startsWith(`| ${code} |`));
    assert.ok(row, `no table row for ${code}`);
    assert.ok(row.includes(`\`${info.name}\``), `row for ${code} lacks ${info.name}`);
    assert.ok(row.includes(info.reconnect ? '| yes' : '| no'), `row for ${code} has the wrong reconnect advice`);
  }
});

test('protocol ops are unique and all below the business range', () => {
  const ops = Object.values(Op);
  assert.equal(new Set(ops).size, ops.length);
  for (const op of ops) assert.ok(op < BUSINESS_OP_MIN);
  assert.equal(BUSINESS_OP_MIN, 1000);
});
