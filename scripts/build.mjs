// `npm run build` (also run by `prepare` on npm ci and by `prepack`): compiles src/ into dist/ and
// writes dist/build-stamp.json with the time the build STARTED as its mtime, so a source file
// saved while tsc was running still counts as newer than the build (see bin/runtime-choice.js).
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const started = new Date();
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // An install without dev dependencies: the bin falls back to tsx in a checkout.
  process.stderr.write('build: typescript is not installed; dist/ not built\n');
  process.exit(0);
}
// A clean build: files of deleted sources must not linger in dist/.
rmSync(join(root, 'dist'), { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  process.stderr.write('build: tsc finished but dist/cli/main.js is missing\n');
  process.exit(1);
}
const stamp = join(root, 'dist', 'build-stamp.json');
writeFileSync(stamp, `${JSON.stringify({ startedAt: started.toISOString() })}\n`);
utimesSync(stamp, started, started);
