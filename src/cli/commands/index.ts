import type { RegisterCommand } from '../command-spec.js';

/**
 * A top-level command loaded on use: `name` is what selects it on the command line, and `load`
 * imports its module only when that command runs (or when help lists every command), so one
 * command never pays for another's imports.
 */
export interface LazyCommand {
  /** The command's name on the command line. */
  name: string;
  /** Imports the command's module and returns its register function. */
  load: () => Promise<RegisterCommand>;
}

/**
 * Every top-level command, in the order `--help` lists them: the built-in demo and simulation,
 * then the live pipeline (elicit → outcomes/attempt → market), then analysis and the store.
 * A plain register function is accepted too (always loaded).
 */
export const commands: (LazyCommand | RegisterCommand)[] = [
  { name: 'init', load: async () => (await import('./init.js')).registerInit },
  { name: 'demo', load: async () => (await import('./demo.js')).registerDemo },
  { name: 'simulate', load: async () => (await import('./simulate.js')).registerSimulate },
  { name: 'sweep', load: async () => (await import('./sweep.js')).registerSweep },
  { name: 'elicit', load: async () => (await import('./elicit.js')).registerElicit },
  { name: 'outcomes', load: async () => (await import('./outcomes.js')).registerOutcomes },
  { name: 'attempt', load: async () => (await import('./attempt.js')).registerAttempt },
  { name: 'market', load: async () => (await import('./market.js')).registerMarket },
  { name: 'retry', load: async () => (await import('./retry.js')).registerRetry },
  { name: 'worker', load: async () => (await import('./worker.js')).registerWorker },
  { name: 'analyze', load: async () => (await import('./analyze.js')).registerAnalyze },
  { name: 'replay', load: async () => (await import('./replay.js')).registerReplay },
  { name: 'report', load: async () => (await import('./report.js')).registerReport },
  { name: 'view', load: async () => (await import('./view.js')).registerView },
  { name: 'db', load: async () => (await import('./db.js')).registerDb },
  { name: 'export', load: async () => (await import('./training.js')).registerExport },
  { name: 'recalibrate', load: async () => (await import('./training.js')).registerRecalibrate },
  { name: 'doctor', load: async () => (await import('./doctor.js')).registerDoctor },
];
