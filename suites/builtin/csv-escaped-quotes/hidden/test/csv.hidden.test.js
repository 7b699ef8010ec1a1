import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsvLine } from '../src/csv.js';

test('a doubled quote inside quotes is a literal quote', () => {
  assert.deepEqual(parseCsvLine('1,"say ""hi""",x'), ['1', 'say "hi"', 'x']);
  assert.deepEqual(parseCsvLine('""""'), ['"']);
});

test('an empty quoted field is kept', () => {
  assert.deepEqual(parseCsvLine('"",x'), ['', 'x']);
});
