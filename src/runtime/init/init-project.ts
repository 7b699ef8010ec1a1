import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '../../core/errors.js';
import { ENV_TEMPLATE, MARKET_TEMPLATE, WORKERS_TEMPLATE } from './init-templates.js';

/** The files `marketbench init` writes, by name. */
export const INIT_FILES: Readonly<Record<string, string>> = {
  'workers.yaml': WORKERS_TEMPLATE,
  'market.yaml': MARKET_TEMPLATE,
  '.env.example': ENV_TEMPLATE,
};

/**
 * Writes the starter files into `dir` (created when missing). Refuses, writing nothing, when any
 * of them exists and `force` is not set, naming every file in the way.
 */
export function initProject(options: { dir: string; force?: boolean }): { dir: string; files: string[] } {
  const { dir } = options;
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new InvalidInputError('exists and is not a folder', { file: dir });
  const names = Object.keys(INIT_FILES);
  const present = names.filter((name) => existsSync(join(dir, name)));
  if (present.length > 0 && !options.force) {
    throw new InvalidInputError(`${present.join(', ')} already ${present.length === 1 ? 'exists' : 'exist'}; nothing written (use --force to overwrite)`, { file: dir });
  }
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(INIT_FILES)) {
    // Write then rename, so an interrupted init never leaves half a file.
    const target = join(dir, name);
    writeFileSync(`${target}.tmp`, text);
    renameSync(`${target}.tmp`, target);
  }
  return { dir, files: names.map((name) => join(dir, name)) };
}
