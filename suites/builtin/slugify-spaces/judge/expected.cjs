module.exports = {
  'replaces every gap': 'hello-big-world',
  'collapses punctuation and trims dashes': ['rock-roll-2024', 'already-slugged'],
  'lower-cases a single word': 'hello',
  'joins two words with a dash': 'hello-world',
};
