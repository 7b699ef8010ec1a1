import { describe, expect, it } from 'vitest';
import { isSubmission, parseAction } from '../../src/runtime/scaffold/parse-action.js';
import { observationPrompt, truncateMiddle } from '../../src/runtime/scaffold/prompts.js';

describe('parseAction', () => {
  it('takes the one bash block', () => {
    expect(parseAction('THOUGHT: look\n\n```bash\nls -la\n```')).toEqual({ ok: true, command: 'ls -la' });
    expect(parseAction('```sh\ncat a && cat b\n```')).toEqual({ ok: true, command: 'cat a && cat b' });
  });

  it('rejects zero, two or empty blocks, and other languages', () => {
    expect(parseAction('I think we are done.')).toMatchObject({ ok: false, found: 0 });
    expect(parseAction('```bash\nls\n```\nthen\n```bash\npwd\n```')).toMatchObject({ ok: false, found: 2 });
    expect(parseAction('```bash\n\n```')).toMatchObject({ ok: false, found: 1 });
    expect(parseAction('```python\nprint(1)\n```')).toMatchObject({ ok: false, found: 0 });
  });

  it('recognizes the submission sentinels on the first output line only', () => {
    expect(isSubmission('MARKETBENCH_SUBMIT\n')).toBe(true);
    expect(isSubmission('\n  COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT\npatch...')).toBe(true);
    expect(isSubmission('done\nMARKETBENCH_SUBMIT\n')).toBe(false);
  });
});

describe('observations', () => {
  it('keeps the head and tail of long output', () => {
    // 26 letters, limit 10: head 5 (a-e), tail 5 (v-z), 16 elided.
    const { text, elided } = truncateMiddle('abcdefghijklmnopqrstuvwxyz', 10);
    expect(elided).toBe(16);
    expect(text).toBe('abcde\n[... 16 characters elided ...]\nvwxyz');
  });

  it('reports exit code, output and timeouts', () => {
    const base = { stdout: 'out\n', stderr: 'err\n', exitCode: 2, signal: null, timedOut: false, outputTruncated: false, outputLimitKilled: false, outputBytes: 8, durationMs: 5 };
    expect(observationPrompt(base, 1000)).toBe('<returncode>2</returncode>\n<output>\nout\nerr\n</output>');
    const killed = observationPrompt({ ...base, exitCode: null, signal: 'SIGKILL', timedOut: true, durationMs: 3000 }, 1000);
    expect(killed).toContain('<returncode>killed (SIGKILL)</returncode>');
    expect(killed).toContain('killed after 3 s');
  });
});
