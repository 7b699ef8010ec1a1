import type { RegisterCommand } from '../command-spec.js';
import { registerAnalyze } from './analyze.js';
import { registerAttempt } from './attempt.js';
import { registerDb } from './db.js';
import { registerDemo } from './demo.js';
import { registerElicit } from './elicit.js';
import { registerInit } from './init.js';
import { registerMarket } from './market.js';
import { registerOutcomes } from './outcomes.js';
import { registerReplay } from './replay.js';
import { registerReport } from './report.js';
import { registerSimulate } from './simulate.js';
import { registerSweep } from './sweep.js';
import { registerExport, registerRecalibrate } from './training.js';
import { registerView } from './view.js';

/**
 * Every top-level command, in the order `--help` lists them: the built-in demo and simulation,
 * then the live pipeline (elicit → outcomes/attempt → market), then analysis and the store.
 */
export const commands: RegisterCommand[] = [
  registerInit,
  registerDemo,
  registerSimulate,
  registerSweep,
  registerElicit,
  registerOutcomes,
  registerAttempt,
  registerMarket,
  registerAnalyze,
  registerReplay,
  registerReport,
  registerView,
  registerDb,
  registerExport,
  registerRecalibrate,
];
