import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slugify } from '../src/slugify.js';

test('replaces every gap', () => {
  assert.equal(slugify('Hello Big World'), 'hello-big-world');
});

test('collapses punctuation and trims dashes', () => {
  assert.equal(slugify('Rock & Roll: 2024!'), 'rock-roll-2024');
  assert.equal(slugify('  --Already--Slugged--  '), 'already-slugged');
});
