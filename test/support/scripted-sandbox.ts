import type { Task } from '../../src/core/task.js';
import type { ExecOptions, ExecResult, Sandbox } from '../../src/runtime/sandbox/sandbox.js';
import type { Evaluation, Suite } from '../../src/runtime/suites/suite.js';

/**
 * An in-memory sandbox for tests on machines without bubblewrap or Docker: a map of files and a
 * tiny shell that understands `echo TEXT`, `cat FILE`, and `cat > FILE <<'EOF' … EOF`; anything
 * else exits 127. The agent loop, the attempt executor and the market run on it unchanged.
 */
export class ScriptedSandbox implements Sandbox {
  readonly backend = 'local' as const;
  readonly workdir = '/workspace';
  private readonly files: Map<string, string>;
  private readonly start: Map<string, string>;
  /** Commands run, in order (for assertions). */
  readonly commands: string[] = [];
  /** Whether `dispose` was called. */
  disposed = false;

  constructor(files: Record<string, string> = {}) {
    this.files = new Map(Object.entries(files));
    this.start = new Map(this.files);
  }

  async exec(command: string, _options?: ExecOptions): Promise<ExecResult> {
    this.commands.push(command);
    const heredoc = /^cat > (\S+) <<'EOF'\n([\s\S]*?)\nEOF\s*$/.exec(command);
    if (heredoc) {
      this.files.set(heredoc[1] as string, `${heredoc[2]}\n`);
      return result('', 0);
    }
    const echo = /^echo (.*)$/.exec(command);
    if (echo) return result(`${echo[1]}\n`, 0);
    const cat = /^cat (\S+)$/.exec(command);
    if (cat) {
      const text = this.files.get(cat[1] as string);
      return text === undefined ? result('', 1, `cat: ${cat[1]}: No such file or directory\n`) : result(text, 0);
    }
    return result('', 127, `${command.split(/\s/)[0]}: command not found\n`);
  }

  async readFile(path: string): Promise<string> {
    const text = this.files.get(path);
    if (text === undefined) throw new Error(`no such file: ${path}`);
    return text;
  }

  async writeFile(path: string, content: string | Buffer): Promise<void> {
    this.files.set(path, content.toString());
  }

  /** Changed files as `+++ b/FILE` headers followed by their new lines, each prefixed by `+`. */
  async diff(): Promise<string> {
    const parts: string[] = [];
    for (const [path, text] of [...this.files].sort(([a], [b]) => a.localeCompare(b))) {
      if (this.start.get(path) === text) continue;
      parts.push(`--- a/${path}\n+++ b/${path}\n${text.split('\n').filter((line) => line !== '').map((line) => `+${line}`).join('\n')}\n`);
    }
    return parts.join('');
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

function result(stdout: string, exitCode: number, stderr = ''): ExecResult {
  return { stdout, stderr, exitCode, signal: null, timedOut: false, outputTruncated: false, outputLimitKilled: false, outputBytes: stdout.length + stderr.length, durationMs: 0 };
}

/** A task of the scripted suite: solved when `answer.txt` ends up holding `metadata.answer`. */
export function scriptedTask(id: string, answer: string): Task {
  return {
    id,
    suite: 'scripted',
    statement: `Task ${id}: write the answer to answer.txt.`,
    tests: { failToPass: ['answer'], passToPass: [] },
    features: {},
    metadata: { answer },
  };
}

/**
 * A suite on `ScriptedSandbox`: every workspace starts empty, and the judge reads the patch
 * (`+++ b/answer.txt` followed by `+<answer>`) without running anything.
 */
export function scriptedSuite(tasks: readonly Task[]): Suite & { sandboxes: ScriptedSandbox[] } {
  const sandboxes: ScriptedSandbox[] = [];
  return {
    name: 'scripted',
    backend: 'local',
    sandboxes,
    loadTasks: async () => tasks.slice(),
    startWorkspace: async () => {
      const sandbox = new ScriptedSandbox();
      sandboxes.push(sandbox);
      return sandbox;
    },
    instructions: () => 'Write your answer to answer.txt, then run `echo MARKETBENCH_SUBMIT`.',
    evaluate: async ({ task, patch }): Promise<Evaluation> => {
      const resolved = patch.includes(`+++ b/answer.txt\n+${String(task.metadata.answer)}\n`);
      return {
        resolved,
        patchApplied: true,
        passed: resolved ? ['answer'] : [],
        failed: resolved ? [] : ['answer'],
        detail: resolved ? 'answer matches' : 'answer missing or wrong',
        log: patch,
      };
    },
  };
}
