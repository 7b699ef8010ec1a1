import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retry } from '../src/retry.js';

test('retries rejected promises', async () => {
  let calls = 0;
  const value = await retry(
    async () => {
      calls++;
      if (calls < 3) throw new Error('flaky');
      return 'ok';
    },
    { attempts: 5 },
  );
  assert.equal(value, 'ok');
  assert.equal(calls, 3);
});

test('rejects with the last error and reports each retry', async () => {
  const retries: number[] = [];
  let calls = 0;
  await assert.rejects(
    retry(
      async () => {
        calls++;
        throw new Error(`fail ${calls}`);
      },
      { attempts: 3, onRetry: (_error, attempt) => retries.push(attempt) },
    ),
    /fail 3/,
  );
  assert.deepEqual(retries, [1, 2]);
});
