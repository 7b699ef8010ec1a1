import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Parses `.env` text: `KEY=value` lines, optional `export `, `#` comments, single or double
 * quotes (double quotes understand `\n`). Later lines win.
 */
export function parseDotEnv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const name = match[1] as string;
    let value = (match[2] as string).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote));
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    values[name] = value;
  }
  return values;
}

/**
 * The environment a command should use: the variables of `<cwd>/.env` (when the file exists)
 * overridden by the real environment. Called explicitly by the CLI, never at import time.
 */
export function environmentWithDotEnv(options: { cwd: string; env: Record<string, string | undefined> }): Record<string, string | undefined> {
  const file = join(options.cwd, '.env');
  const fromFile = existsSync(file) ? parseDotEnv(readFileSync(file, 'utf8')) : {};
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [name, value] of Object.entries(options.env)) if (value !== undefined) merged[name] = value;
  return merged;
}
