import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CliResult, runCli } from '../support/capture-io.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * A live market with plan arms over two mock workers, three built-in tasks and three budget levels.
 * Prices are high enough that a plan's cost weighs against the bounty: both workers at $300/M
 * tokens in and out (blended $3e-4 a token).
 */
export const PLANS_MARKET_YAML = `workers:
  - id: planner
    model: mock:calibrated?skill=0.7&price=300/300
    scaffold: bash-agent
  - id: bold
    model: mock:overconfident?skill=0.5&price=300/300
    scaffold: bash-agent
market:
  bountyCredits: 50
  creditsPerUsd: 10
  maxAttempts: 1
  planBudgets:
    - { budgetUsd: 1, maxSteps: 3 }
    - { budgetUsd: 2, maxSteps: 5 }
    - { budgetUsd: 8, maxSteps: 20 }
arms: [scoring, scoring:plans, reputation:plans]
limit: 3
`;

/** The CLI arguments that run the plan market from its folder (config `market.yaml`, store `m.db`). */
export const PLANS_MARKET_ARGS = ['market', '--workers', 'market.yaml', '--suite', 'builtin', '--db', 'm.db'];

/** What running the plan market left: its folder, its store and the CLI's result. */
export interface PlansMarketRun {
  /** The folder it ran in (removed after the test file). */
  dir: string;
  /** Path of its store. */
  db: string;
  /** Exit code and output of `marketbench market`. */
  result: CliResult;
}

/** Writes `PLANS_MARKET_YAML` into a fresh folder named from `prefix` and runs the market there once. */
export async function runPlansMarket(prefix: string): Promise<PlansMarketRun> {
  const dir = tempDir(prefix);
  writeFileSync(join(dir, 'market.yaml'), PLANS_MARKET_YAML);
  const result = await runCli(PLANS_MARKET_ARGS, { cwd: dir });
  return { dir, db: join(dir, 'm.db'), result };
}
