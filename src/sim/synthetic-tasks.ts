import type { Random, Task } from '../core/index.js';
import type { PopulationSpec } from './population-spec.js';

/** A synthetic task with the hidden quantities the simulation drew for it. */
export interface SyntheticTask {
  /** The task as any suite would present it (features are public, metadata holds the truth). */
  task: Task;
  /** Repository of the task. */
  repo: string;
  /** Total difficulty δ on the logit scale (repository part + task part). */
  difficulty: number;
  /** Standard-normal log size of the task, shared by every worker's token use. */
  size: number;
}

/** Options of `generateTasks`. */
export interface GenerateTasksOptions {
  /** The population the tasks belong to. */
  spec: PopulationSpec;
  /** How many tasks to draw. */
  count: number;
  /** The simulation's random stream; tasks draw from forks of it, one per task. */
  random: Random;
  /** Prefix of task ids, so tasks of different seeds or presets never share an id in a store. */
  idPrefix: string;
}

/** Id of the i-th (0-based) synthetic task, e.g. `sim-paper-1-00001`. */
export function syntheticTaskId(prefix: string, index: number): string {
  return `${prefix}-${String(index + 1).padStart(5, '0')}`;
}

/**
 * Draws synthetic tasks. Each task uses its own fork of the stream, so the first n tasks of a
 * longer simulation are the same tasks as a simulation of n.
 */
export function generateTasks(options: GenerateTasksOptions): SyntheticTask[] {
  const { spec, random } = options;
  const repoDifficulty = new Map(
    spec.repos.map((repo) => [repo.name, random.fork(`repo/${repo.name}`).normal(0, spec.repoDifficultySd)]),
  );
  const totalWeight = spec.repos.reduce((sum, repo) => sum + repo.weight, 0);
  const tasks: SyntheticTask[] = [];
  for (let index = 0; index < options.count; index++) {
    const draw = random.fork(`task/${index}`);
    const repo = pickRepo(spec, draw.next() * totalWeight);
    const within = draw.normal();
    const featureNoise = draw.normal();
    const size = draw.normal();
    const testCount = 1 + Math.min(19, Math.floor(draw.lognormal(0, 0.8)));
    // Statement length is the one public hint at difficulty: its log is correlated
    // `featureSignal` with the task's within-repository difficulty.
    const signal = spec.featureSignal;
    const lengthZ = signal * within + Math.sqrt(1 - signal * signal) * featureNoise;
    const statementChars = Math.round(1500 * Math.exp(0.6 * lengthZ));
    const difficulty = (repoDifficulty.get(repo) ?? 0) + spec.taskDifficultySd * within;
    const id = syntheticTaskId(options.idPrefix, index);
    tasks.push({
      repo,
      difficulty,
      size,
      task: {
        id,
        suite: spec.suite,
        title: `Synthetic ${repo} task ${index + 1}`,
        repo,
        statement: `Synthetic task ${id} from ${spec.name}: a ${statementChars}-character issue in ${repo}.`,
        tests: { failToPass: Array.from({ length: testCount }, (_, t) => `test_${id}_${t + 1}`), passToPass: [] },
        features: { repo, statementChars, failToPassTests: testCount },
        metadata: { simulated: true, difficulty, size },
      },
    });
  }
  return tasks;
}

function pickRepo(spec: PopulationSpec, point: number): string {
  let cumulative = 0;
  for (const repo of spec.repos) {
    cumulative += repo.weight;
    if (point < cumulative) return repo.name;
  }
  return spec.repos[spec.repos.length - 1]!.name;
}
