import { knownFixFor, patchedFiles, wrongEditOf } from './mock-known-fixes.js';
import { MOCK_TRIES, type MockPolicy, solvingTry } from './mock-policy.js';

/** What the mock agent sees of the conversation. */
export interface MockAgentTurn {
  /** The task statement (from the `<task>` block of the first user message). */
  statement: string;
  /** How many replies the agent has already sent. */
  step: number;
  /** The model id (part of the seed of the solve draw). */
  modelId: string;
  /** The worker's policy. */
  policy: MockPolicy;
}

const SUBMIT = 'THOUGHT: [mock agent] I am done; submitting.\n\n```bash\necho MARKETBENCH_SUBMIT\n```';

function reply(thought: string, command: string): string {
  return `THOUGHT: [mock agent] ${thought}\n\n\`\`\`bash\n${command}\n\`\`\``;
}

/**
 * The mock agent's policy, one reply per step, run by the real bash scaffold in the real sandbox:
 * list the repository, read the file the known fix touches, then make tries of an edit and a
 * check. An agent that will solve the task (see `solvingTry`) makes wrong edits on its earlier
 * tries, each undone by the next, and the known fix on its solving try; one that will not solve it
 * makes one plausible wrong edit. Then it submits. A step cap that stops it early leaves whatever
 * edit it had made in the diff, so fewer steps solve less often. A task without a known fix gets
 * an inspection and an empty submission.
 */
export function mockAgentReply(turn: MockAgentTurn): string {
  const fix = knownFixFor(turn.statement);
  const files = fix ? patchedFiles(fix) : [];
  const solvingOn = fix === undefined ? undefined : solvingTry(turn.policy, turn.modelId, turn.statement);
  const steps: string[] = [
    reply('Look at the repository layout first.', 'git ls-files | head -50'),
    files.length > 0
      ? reply(`Read the code the problem statement is about (${files.join(', ')}).`, files.map((file) => `cat -n ${shellWord(file)}`).join(' && '))
      : reply('No file stands out; search for the names in the problem statement.', 'git grep -n "function" | head -20'),
  ];
  if (fix) {
    const tries = solvingOn ?? 1;
    for (let attempt = 1; attempt <= Math.min(tries, MOCK_TRIES); attempt++) {
      const solves = attempt === solvingOn;
      const patch = solves ? fix : wrongEditOf(fix);
      const thought = solves ? 'I see the bug; apply the fix.' : 'I think this line needs handling; edit it.';
      // Later tries start from the baseline again: the earlier wrong edit is undone first.
      const undo = attempt > 1 ? `git checkout -- ${files.map(shellWord).join(' ')} && ` : '';
      steps.push(reply(thought, `${undo}git apply --whitespace=nowarn <<'MOCK_PATCH'\n${patch.trimEnd()}\nMOCK_PATCH`));
      steps.push(reply(solves || solvingOn === undefined ? 'Check the change.' : 'Check the change; it does not look right yet.', 'git diff --stat && git diff'));
    }
  }
  return steps[turn.step] ?? SUBMIT;
}

function shellWord(text: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
