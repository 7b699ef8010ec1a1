import type { RegisterCommand } from '../command-spec.js';
import { registerDb } from './db.js';
import { registerSimulate } from './simulate.js';
import { registerDemo } from './demo.js';
import { registerSweep } from './sweep.js';
import { registerAnalyze } from './analyze.js';
import { registerReplay } from './replay.js';
import { registerReport } from './report.js';
import { registerElicit } from './elicit.js';
import { registerOutcomes } from './outcomes.js';
import { registerAttempt } from './attempt.js';
import { registerMarket } from './market.js';

/** Every top-level command, in the order `--help` lists them. */
export const commands: RegisterCommand[] = [registerDb, registerSimulate, registerDemo, registerSweep, registerAnalyze, registerReplay, registerReport, registerElicit, registerOutcomes, registerAttempt, registerMarket];
