import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Emitter } from '../src/emitter.js';

test('calls listeners with arguments', () => {
  const e = new Emitter();
  const seen = [];
  e.on('data', (a, b) => seen.push(a + b));
  assert.equal(e.emit('data', 1, 2), true);
  assert.deepEqual(seen, [3]);
});

test('removes a listener with the returned function', () => {
  const e = new Emitter();
  let n = 0;
  const off = e.on('x', () => n++);
  off();
  assert.equal(e.emit('x'), false);
  assert.equal(n, 0);
});
