import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { errorCodeInfo, errorCodes, ImError, type ErrorCode } from '@imcluster/common';
import { BUSINESS_OP_MIN, ChatCode, chatCodeInfo, CloseCode, Op, ProtocolError, closeCodeInfo, isReconnectCode, socketCodes, socketFailure } from '../src/index.ts';
import type { ChatCodeInfo, CloseCodeInfo, ProtocolErrorReason } from '../src/index.ts';

const infos = Object.entries(closeCodeInfo).map(([code, info]) => [Number(code), info] as [number, CloseCodeInfo]);
const chatInfos = Object.entries(chatCodeInfo).map(([code, info]) => [Number(code), info] as [number, ChatCodeInfo]);
const protocolDoc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

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

test('ProtocolError maps framing errors to close codes through the socket table', () => {
  const map: Record<ProtocolErrorReason, [ErrorCode, number]> = {
    BAD_HEADER_LEN: ['INVALID', 3501],
    BAD_PACK_LEN: ['INVALID', 3501],
    TRUNCATED: ['INVALID', 3501],
    TOO_LARGE: ['TOO_LARGE', 3502],
  };
  for (const [reason, [code, close]] of Object.entries(map)) {
    const err = new ProtocolError(reason as ProtocolErrorReason, 'x');
    assert.equal(err.code, code);
    assert.equal(err.closeCode, close);
    assert.ok(err instanceof ImError);
  }
});

test('every chat code is unique, in the application range, and described once under its own name', () => {
  const values = Object.values(ChatCode);
  assert.equal(new Set(values).size, values.length);
  assert.deepEqual(chatInfos.map(([code]) => code).sort(), [...values].sort());
  for (const [name, code] of Object.entries(ChatCode)) assert.equal(chatCodeInfo[code].name, name);
  for (const [code] of chatInfos) assert.ok(code >= 4000 && code < 5000, `${code} outside 4000-4999`);
  const closeCodes = new Set<number>(Object.values(CloseCode));
  for (const code of values) assert.ok(!closeCodes.has(code), `${code} is both a close and a chat code`);
});

test('socket table: each error code has the chat and close code a client should act on', () => {
  const expected: Record<ErrorCode, [number, number]> = {
    INVALID: [4001, 3501],
    UNAUTHORIZED: [4003, 3504],
    FORBIDDEN: [4003, 3508],
    NOT_FOUND: [4004, 3504],
    DUPLICATE: [4022, 3508],
    CONFLICT: [4009, 3508],
    TOO_LARGE: [4013, 3502],
    RATE_LIMITED: [4503, 3005],
    UNAVAILABLE: [4503, 3004],
    OUTCOME_UNKNOWN: [4504, 3004],
    INTERNAL: [4503, 3004],
  };
  for (const code of errorCodes) {
    const { chat, close } = socketCodes[code];
    assert.deepEqual([chat, close], expected[code], code);
    assert.ok(chatCodeInfo[chat] && closeCodeInfo[close], code);
    // A retryable error never tells a client to stop, and a client mistake never asks for a retry.
    if (errorCodeInfo[code].retryable) assert.ok(chatCodeInfo[chat].retry && closeCodeInfo[close].reconnect, code);
    if (code !== 'INTERNAL' && !errorCodeInfo[code].retryable) assert.ok(!chatCodeInfo[chat].retry && !closeCodeInfo[close].reconnect, code);
  }
});

test('socketFailure: a client mistake keeps its message, an outage or a bug hides the details', () => {
  assert.deepEqual(socketFailure(new ImError('FORBIDDEN', 'not in this room'), 'close'), { code: 3508, message: 'not in this room' });
  const outage = socketFailure(new ImError('UNAVAILABLE', 'connect ECONNREFUSED 10.0.0.7:3306'), 'chat');
  assert.equal(outage.code, 4503);
  assert.doesNotMatch(outage.message, /10\.0\.0\.7/);
  const bug = socketFailure(new TypeError('x is undefined'), 'close');
  assert.equal(bug.code, 3004);
  assert.doesNotMatch(bug.message, /undefined/);
});

test('docs/protocol.md lists every close and chat code with its name and advice (reconnect, retry)', () => {
  const documented = [...infos.map(([code, i]) => [code, i.name, i.reconnect] as const), ...chatInfos.map(([code, i]) => [code, i.name, i.retry] as const)];
  for (const [code, name, yes] of documented) {
    const row = protocolDoc.split('\n').find((line) => line.startsWith(`| ${code} |`));
    assert.ok(row, `no table row for ${code}`);
    assert.ok(row.includes(`\`${name}\``), `row for ${code} lacks ${name}`);
    assert.ok(row.includes(yes ? '| yes' : '| no'), `row for ${code} has the wrong advice`);
  }
});

test('protocol ops are unique and all below the business range', () => {
  const ops = Object.values(Op);
  assert.equal(new Set(ops).size, ops.length);
  for (const op of ops) assert.ok(op < BUSINESS_OP_MIN);
  assert.equal(BUSINESS_OP_MIN, 1000);
});
