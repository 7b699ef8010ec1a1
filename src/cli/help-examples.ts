import type { Command } from 'commander';

/**
 * Examples shown at the end of `--help`, by command path, for the commands that do not add their
 * own. Each runs as written from a fresh clone (`$DATA` is the public data folder, see the README).
 */
export const HELP_EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  demo: ['marketbench demo', 'marketbench demo --tasks 500 --seed 7 --out my-demo'],
  simulate: ['marketbench simulate --tasks 300 --db sim.db', 'marketbench simulate --preset paper --seed 2 --format json'],
  sweep: ['marketbench sweep --tasks 200 --seeds 3', 'marketbench sweep --steps 5 --format json'],
  market: [
    'marketbench init bench && cd bench && marketbench market --workers market.yaml --suite builtin',
    'marketbench market --workers market.yaml --suite builtin --limit 10 --arms scoring,router --budget-usd 5',
  ],
  analyze: [
    'marketbench analyze --forecasts $DATA/marketbench/calibration_results_norationale.csv --pricing $DATA/marketbench/model_token_pricing.csv',
    'marketbench analyze --db marketbench.db --format json',
  ],
  replay: [
    'marketbench replay --matrix $DATA/swebench-verified-bash-only/outcomes.json --value 5',
    'marketbench replay --db marketbench-demo/marketbench.db --mechanisms solo:gpt-5-mini,oracle,scoring',
  ],
  report: ['marketbench report --db marketbench-demo/marketbench.db --out report.html', 'marketbench report --db marketbench.db --png charts'],
  'db info': ['marketbench db info', 'marketbench db info --db marketbench-demo/marketbench.db --json'],
  'db export': ['marketbench db export --db marketbench.db --out export', 'marketbench db export --table forecasts --format csv'],
  'db import': ['marketbench db import export/*.jsonl --db copy.db', 'marketbench db import forecasts.csv --table forecasts'],
};

/** Appends the examples of `HELP_EXAMPLES` to the help of every matching command under `program`. */
export function addHelpExamples(program: Command): void {
  const visit = (command: Command, path: string[]) => {
    const key = path.join(' ');
    const examples = HELP_EXAMPLES[key];
    if (examples) command.addHelpText('after', `\nExamples:\n${examples.map((line) => `  $ ${line}`).join('\n')}`);
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  for (const command of program.commands) visit(command, [command.name()]);
}
