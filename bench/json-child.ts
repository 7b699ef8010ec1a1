import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs a bench file again as a child process (through tsx, with an 8 GB heap so the size under test,
 * not the default heap limit, decides the peak) and parses the one JSON line it prints. Each size
 * or mechanism gets its own process, so the child's maxRSS is its own peak.
 */
export function runJsonChild<T>(input: {
  /** The bench file's `import.meta.url`. */
  benchUrl: string;
  /** Arguments after the file (the bench's child mode and its options). */
  args: readonly string[];
  /** What the child measures, for the error when it fails (`size 2000x6`). */
  label: string;
}): Promise<T> {
  const loader = fileURLToPath(new URL('../node_modules/tsx/dist/loader.mjs', import.meta.url));
  const args = ['--max-old-space-size=8192', '--import', loader, fileURLToPath(input.benchUrl), ...input.args];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    proc.once('exit', (code, signal) => {
      if (code !== 0) reject(new Error(`${input.label}: child exited with ${code ?? signal}`));
      else resolve(JSON.parse(text.trim()) as T);
    });
  });
}
