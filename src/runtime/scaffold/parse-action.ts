/** The command of a reply, or why there is none. */
export type ParsedAction = { ok: true; command: string } | { ok: false; error: string; found: number };

/**
 * Finds the shell command of a reply: exactly one fenced block tagged `bash` (or `sh`). Zero or
 * several blocks, or an empty one, is a format error the model is told about.
 */
export function parseAction(text: string): ParsedAction {
  const blocks = [...text.matchAll(/```(?:bash|sh)[ \t]*\r?\n([\s\S]*?)\r?\n?```/g)].map((match) => (match[1] as string).trim());
  if (blocks.length !== 1) {
    return {
      ok: false,
      found: blocks.length,
      error: blocks.length === 0 ? 'No ```bash code block was found in your reply.' : `Your reply has ${blocks.length} \`\`\`bash code blocks; exactly one is allowed.`,
    };
  }
  const command = blocks[0] as string;
  if (!command) return { ok: false, found: 1, error: 'The ```bash code block is empty.' };
  return { ok: true, command };
}

/** Commands whose output, starting with one of these lines, ends the attempt. */
export const SUBMIT_SENTINELS = ['MARKETBENCH_SUBMIT', 'COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT'] as const;

/** True when a command's output says "submit": its first non-empty line is a sentinel. */
export function isSubmission(stdout: string): boolean {
  const first = stdout.trimStart().split('\n')[0]?.trim() ?? '';
  return (SUBMIT_SENTINELS as readonly string[]).includes(first);
}
