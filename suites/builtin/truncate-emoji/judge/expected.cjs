module.exports = {
  'never splits an emoji': ['ok 👍…', '👍…'],
  'counts emoji as one character each': '👍👍',
  'leaves short text alone': 'hello',
  'cuts long ASCII text with an ellipsis': ['hello…', '…'],
};
