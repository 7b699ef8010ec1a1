import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapLimit } from '../src/map-limit.js';

test('maps synchronous-looking work', async () => {
  assert.deepEqual(await mapLimit([1, 2, 3], 2, async (x) => x * 2), [2, 4, 6]);
});

test('never runs more than limit calls at once', async () => {
  let running = 0;
  let peak = 0;
  await mapLimit([5, 5, 5, 5, 5], 2, async (ms) => {
    running += 1;
    peak = Math.max(peak, running);
    await new Promise((done) => setTimeout(done, ms));
    running -= 1;
  });
  assert.equal(peak, 2);
});
