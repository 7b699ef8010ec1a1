module.exports = {
  'a doubled quote inside quotes is a literal quote': [['1', 'say "hi"', 'x'], ['"']],
  'an empty quoted field is kept': ['', 'x'],
  'splits plain fields': ['a', 'b', 'c'],
  'keeps commas inside quotes': ['a', 'b,c', 'd'],
  'keeps empty fields': ['a', '', 'b'],
};
