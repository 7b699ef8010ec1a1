// Decides whether the `marketbench` bin runs the compiled `dist/` or `src/` through tsx. Plain
// JavaScript with only node: imports, so the decision itself costs a few stat calls.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Name of the file `npm run build` writes into dist/; its mtime is the time the build started. */
export const BUILD_STAMP = 'build-stamp.json';

/**
 * A file under `dir` modified after `builtMs` (the first one found), or undefined when none is.
 * It stops at the first such file and builds paths by concatenation: this runs on every start of
 * a checkout's bin, over every file in src/.
 */
function fileNewerThan(dir, builtMs) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    const found = entry.isDirectory() ? fileNewerThan(path, builtMs) : statSync(path).mtimeMs > builtMs ? path : undefined;
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Which code the bin runs from the package folder `root`: `{ use: 'dist' | 'tsx', reason }`.
 * An installed package (no `.git`) always runs `dist/`. A development checkout runs `dist/` only
 * when its build stamp is newer than every file under `src/` (and package.json), so an edit that
 * was not rebuilt can never be hidden by an old build; otherwise it runs `src/` through tsx.
 * `MARKETBENCH_RUNTIME=tsx|dist` forces one.
 */
export function chooseRuntime(root, env = process.env) {
  const distMain = join(root, 'dist', 'cli', 'main.js');
  const stamp = join(root, 'dist', BUILD_STAMP);
  const forced = env.MARKETBENCH_RUNTIME;
  if (forced === 'tsx' || forced === 'dist') return { use: forced, reason: `MARKETBENCH_RUNTIME=${forced}` };
  if (!existsSync(distMain)) return { use: 'tsx', reason: 'dist/ is missing (run npm run build)' };
  if (!existsSync(join(root, '.git'))) return { use: 'dist', reason: 'installed package' };
  if (!existsSync(stamp)) return { use: 'tsx', reason: `dist/${BUILD_STAMP} is missing (run npm run build)` };
  const built = statSync(stamp).mtimeMs;
  const newer = fileNewerThan(join(root, 'src'), built);
  if (newer !== undefined) {
    return { use: 'tsx', reason: `dist/ is stale: ${newer.slice(root.length + 1)} changed after the build (run npm run build)` };
  }
  const manifest = statSync(join(root, 'package.json')).mtimeMs;
  if (manifest > built) return { use: 'tsx', reason: 'dist/ is stale: package.json changed after the build (run npm run build)' };
  return { use: 'dist', reason: 'dist/ is newer than every file in src/' };
}
