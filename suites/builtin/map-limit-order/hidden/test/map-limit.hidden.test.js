import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapLimit } from '../src/map-limit.js';

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

test('results line up with the input when calls finish out of order', async () => {
  const out = await mapLimit([60, 10, 30], 2, async (ms) => {
    await sleep(ms);
    return ms;
  });
  assert.deepEqual(out, [60, 10, 30]);
});

test('passes the index and keeps order with limit 1', async () => {
  const out = await mapLimit(['a', 'b', 'c'], 1, async (item, index) => `${index}:${item}`);
  assert.deepEqual(out, ['0:a', '1:b', '2:c']);
});
