import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Emitter } from '../src/emitter.js';

test('a once listener does not make emit skip the next listener', () => {
  const e = new Emitter();
  const calls = [];
  e.once('tick', () => calls.push('once'));
  e.on('tick', () => calls.push('always'));
  e.emit('tick');
  e.emit('tick');
  assert.deepEqual(calls, ['once', 'always', 'always']);
});

test('two once listeners both run once', () => {
  const e = new Emitter();
  const calls = [];
  e.once('tick', () => calls.push(1));
  e.once('tick', () => calls.push(2));
  assert.equal(e.emit('tick'), true);
  assert.equal(e.emit('tick'), false);
  assert.deepEqual(calls, [1, 2]);
});
