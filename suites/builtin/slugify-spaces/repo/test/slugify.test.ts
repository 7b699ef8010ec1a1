import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slugify } from '../src/slugify.js';

test('lower-cases a single word', () => {
  assert.equal(slugify('Hello'), 'hello');
});

test('joins two words with a dash', () => {
  assert.equal(slugify('Hello World'), 'hello-world');
});
