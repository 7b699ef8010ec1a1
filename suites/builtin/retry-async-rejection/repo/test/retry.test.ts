import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retry } from '../src/retry.js';

test('returns the first success', async () => {
  assert.equal(await retry(async () => 42, { attempts: 3 }), 42);
});

test('retries functions that throw synchronously', async () => {
  let calls = 0;
  const value = await retry(
    (() => {
      calls++;
      if (calls < 2) throw new Error('sync');
      return Promise.resolve('done');
    }) as () => Promise<string>,
    { attempts: 3 },
  );
  assert.equal(value, 'done');
  assert.equal(calls, 2);
});
