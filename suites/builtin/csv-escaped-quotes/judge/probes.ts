import { parseCsvLine } from '../src/csv.js';

export default {
  'a doubled quote inside quotes is a literal quote': () => [parseCsvLine('1,"say ""hi""",x'), parseCsvLine('""""')],
  'an empty quoted field is kept': () => parseCsvLine('"",x'),
  'splits plain fields': () => parseCsvLine('a,b,c'),
  'keeps commas inside quotes': () => parseCsvLine('a,"b,c",d'),
  'keeps empty fields': () => parseCsvLine('a,,b'),
};
