#!/usr/bin/env node
// Runs the compiled CLI in dist/ (built by `npm ci` through `prepare`, and shipped by `prepack`).
// Only in a development checkout whose dist/ is missing or older than src/ does it run src/
// through tsx instead; `--debug` says which it used and why.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseRuntime } from './runtime-choice.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const choice = chooseRuntime(root);
if (process.argv.includes('--debug')) {
  process.stderr.write(`marketbench: running ${choice.use === 'dist' ? 'compiled dist/' : 'src/ through tsx'} (${choice.reason})\n`);
}
let main;
if (choice.use === 'dist') {
  ({ main } = await import('../dist/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv);
