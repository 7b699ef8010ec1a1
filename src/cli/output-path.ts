import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { InvalidInputError } from '../core/errors.js';

// Kernel pseudo-filesystems: writes there fail late or block (a store opened in /proc hangs).
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

function nearestExisting(path: string): string {
  let dir = path;
  while (!existsSync(dir)) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dir;
}

function checkWritableFolder(folder: string, flag: string, path: string): void {
  if (PSEUDO_ROOTS.some((root) => folder === root || folder.startsWith(`${root}${sep}`))) {
    throw new InvalidInputError(`${flag} ${path}: ${folder} is a system folder, not a place for output; choose a folder of your own`);
  }
  if (!statSync(folder).isDirectory()) throw new InvalidInputError(`${flag} ${path}: ${folder} is a file, not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new InvalidInputError(`${flag} ${path}: the folder ${folder} is not writable (read-only or no permission)`);
  }
}

/**
 * Checks, before any work, that an output file can be written: its folder (or the nearest one
 * that exists, for folders still to create) is a writable folder outside /proc, /sys and /dev, and
 * the path is not itself a folder. Returns the absolute path.
 */
export function checkOutputFile(input: { cwd: string; path: string; flag: string }): string {
  const file = resolve(input.cwd, input.path);
  if (existsSync(file) && statSync(file).isDirectory()) throw new InvalidInputError(`${input.flag} ${input.path}: is a folder; give a file name`);
  checkWritableFolder(nearestExisting(dirname(file)), input.flag, input.path);
  return file;
}

/** Checks that an output folder exists as a writable folder or can be created in one (see `checkOutputFile`). */
export function checkOutputFolder(input: { cwd: string; path: string; flag: string }): string {
  const folder = resolve(input.cwd, input.path);
  checkWritableFolder(nearestExisting(folder), input.flag, input.path);
  return folder;
}

/** An existing store file for commands that only read one (so a typo never creates an empty store). */
export function existingStoreFile(input: { cwd: string; path: string; flag?: string }): string {
  const file = resolve(input.cwd, input.path);
  if (!existsSync(file)) throw new InvalidInputError(`${input.flag ?? '--db'} ${input.path}: no such store (nothing was created); check the path`);
  if (statSync(file).isDirectory()) throw new InvalidInputError(`${input.flag ?? '--db'} ${input.path}: is a folder, not a store file`);
  return file;
}

/** An existing input file, or a one-line error naming the flag or argument. */
export function existingInputFile(input: { cwd: string; path: string; what: string }): string {
  const file = resolve(input.cwd, input.path);
  if (!existsSync(file)) throw new InvalidInputError(`${input.what} ${input.path}: no such file`);
  if (statSync(file).isDirectory()) throw new InvalidInputError(`${input.what} ${input.path}: is a folder, not a file`);
  return file;
}
