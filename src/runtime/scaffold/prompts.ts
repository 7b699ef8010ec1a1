import type { ExecResult } from '../sandbox/sandbox.js';

/** Version of the bash agent's prompts (recorded in trajectories; bump when the wording changes). */
export const BASH_AGENT_PROMPT_VERSION = 'bash-agent/1';

/** System prompt of the bash agent. */
export function bashAgentSystemPrompt(): string {
  return [
    'You are a software engineer working in a Linux shell to solve a programming task.',
    'Each reply must contain a short THOUGHT explaining your reasoning, followed by exactly ONE ```bash code block holding exactly one command (chain steps with && or || if needed).',
    'The command runs, and you see its exit code and output in the next message. Then you send your next command.',
    'Replies with no code block, or with more than one, are rejected and still count as a step.',
  ].join('\n');
}

/** First user message: the task, its instructions, and how the loop works. */
export function bashAgentInstancePrompt(input: { statement: string; instructions: string; workdir: string; maxSteps: number }): string {
  return `<task>
${input.statement.trim()}
</task>

<instructions>
${input.instructions.trim()}

How to work:
- You are in ${input.workdir}. Every command runs in a fresh shell there: \`cd\` and environment variables do not persist between commands (prefix them, e.g. \`cd src && ls\`).
- There is no network access. Do not use interactive programs (editors, pagers, prompts); edit files with sed, a heredoc (cat <<'EOF' > file), or a short python3/node script.
- Commands are killed after a time limit; long outputs are shortened in the middle, so prefer head, tail, grep and sed -n to view parts of files.
- Recommended workflow: read the relevant code, reproduce the problem with a small script, fix it, re-run your script and the existing tests, then clean up any scratch files you created.
- You have at most ${input.maxSteps} steps.

When you are done, submit by sending this exact command on its own (nothing else in the block):

\`\`\`bash
echo MARKETBENCH_SUBMIT
\`\`\`

Your changes to the files in ${input.workdir} are collected automatically with git when you submit; you cannot continue after submitting.
</instructions>`;
}

/** The user message after a reply without exactly one command. */
export function formatErrorPrompt(error: string): string {
  return `Format error: ${error}

Reply with a THOUGHT and then exactly ONE command in a single \`\`\`bash block, for example:

THOUGHT: I want to see the files in the repository.

\`\`\`bash
ls -la
\`\`\`

To finish, send \`echo MARKETBENCH_SUBMIT\` as your only command.`;
}

/** Keeps the head and tail of a long observation (characters). */
export function truncateMiddle(text: string, maxChars: number): { text: string; elided: number } {
  if (text.length <= maxChars) return { text, elided: 0 };
  const half = Math.floor(maxChars / 2);
  return { text: `${text.slice(0, half)}\n[... ${text.length - 2 * half} characters elided ...]\n${text.slice(-half)}`, elided: text.length - 2 * half };
}

/** The user message reporting a command's result: exit code and output, head and tail when long. */
export function observationPrompt(result: ExecResult, maxChars: number): string {
  const output = result.stderr ? `${result.stdout}${result.stdout && !result.stdout.endsWith('\n') ? '\n' : ''}${result.stderr}` : result.stdout;
  const { text, elided } = truncateMiddle(output, maxChars);
  const notes: string[] = [];
  if (result.timedOut) notes.push(`The command was killed after ${Math.round(result.durationMs / 1000)} s (time limit). Try a quicker command or run long jobs with a smaller input.`);
  if (result.outputLimitKilled) notes.push('The command was killed because it printed too much output.');
  if (elided > 0 || result.outputTruncated) {
    notes.push('The output was too long and its middle was cut. Use head, tail, grep or sed -n, or redirect to a file and search it.');
  }
  const code = result.exitCode === null ? `killed (${result.signal ?? 'signal'})` : String(result.exitCode);
  return `<returncode>${code}</returncode>\n${notes.map((note) => `<warning>${note}</warning>\n`).join('')}<output>\n${text}</output>`;
}
