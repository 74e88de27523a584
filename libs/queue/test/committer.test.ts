import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OffsetCommitter, type TopicPartitionOffset } from '../src/kafka/committer.ts';

/** A committer whose requests are recorded and settle only when the test says so. */
function recording() {
  const requests: TopicPartitionOffset[][] = [];
  const settle: ((error?: Error) => void)[] = [];
  const errors: unknown[] = [];
  const committer = new OffsetCommitter(
    (offsets) => {
      requests.push(offsets);
      return new Promise<void>((resolve, reject) => settle.push((error) => (error ? reject(error) : resolve())));
    },
    (error) => errors.push(error),
  );
  const offsets = (i: number) => requests[i]!.map(({ partition, offset }) => `${partition}@${offset}`).sort();
  return { committer, requests, settle, errors, offsets };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('OffsetCommitter', () => {
  it('sends one request at a time; what came meanwhile goes next, only the newest offset of each partition', async () => {
    const { committer, requests, settle, offsets } = recording();
    committer.add('t', 0, '5');
    assert.equal(requests.length, 1, 'the first offset leaves at once');
    committer.add('t', 0, '7');
    committer.add('t', 1, '3');
    committer.add('t', 0, '9');
    assert.equal(requests.length, 1, 'nothing more while one is in flight');
    settle[0]!();
    await turn();
    assert.deepEqual(offsets(1), ['0@9', '1@3']);
    settle[1]!();
    await committer.flush();
    assert.equal(requests.length, 2);
  });

  it('puts a failed request\'s offsets back unless newer ones came, and flush() sends them', async () => {
    const { committer, requests, settle, errors, offsets } = recording();
    committer.add('t', 0, '5');
    committer.add('t', 1, '2');
    settle[0]!();
    await turn();
    committer.add('t', 1, '4');
    settle[1]!(new Error('REBALANCE_IN_PROGRESS'));
    await turn();
    assert.equal(errors.length, 1);
    assert.equal(requests.length, 2, 'no retry loop after a failure');
    const flushed = committer.flush();
    assert.deepEqual(offsets(2), ['1@4'], 'the failed 1@2 was replaced by the newer 1@4');
    settle[2]!();
    await flushed;
  });

  it('forget() drops what was not sent yet', async () => {
    const { committer, requests, settle } = recording();
    committer.add('t', 0, '5');
    committer.add('t', 0, '6');
    committer.forget();
    settle[0]!();
    await committer.flush();
    assert.equal(requests.length, 1);
  });
});
