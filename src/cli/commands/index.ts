import type { RegisterCommand } from '../command-spec.js';
import { registerDb } from './db.js';

/** Every top-level command, in the order `--help` lists them. */
export const commands: RegisterCommand[] = [registerDb];
