import { slugify } from '../src/slugify.js';

export default {
  'replaces every gap': () => slugify('Hello Big World'),
  'collapses punctuation and trims dashes': () => [slugify('Rock & Roll: 2024!'), slugify('  --Already--Slugged--  ')],
  'lower-cases a single word': () => slugify('Hello'),
  'joins two words with a dash': () => slugify('Hello World'),
};
