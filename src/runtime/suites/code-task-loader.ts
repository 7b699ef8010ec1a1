import { basename } from 'node:path';
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import { type CodeTaskFormat, type CodeTaskSpec, EXTENSION } from './code-task-spec.js';
import { parseRecord, readRecords, type SourcedRecord } from './jsonl-file.js';

const HumanEvalRow = z.object({
  task_id: z.string(),
  prompt: z.string(),
  entry_point: z.string(),
  canonical_solution: z.string().nullish(),
  test: z.string(),
});
const MxEvalRow = HumanEvalRow.extend({ language: z.enum(['typescript', 'javascript']), description: z.string().nullish() });
const HumanEvalXRow = z.object({
  task_id: z.string(),
  prompt: z.string(),
  canonical_solution: z.string().nullish(),
  test: z.string(),
  declaration: z.string().optional(),
});
const MbppRow = z.object({
  task_id: z.union([z.number(), z.string()]),
  text: z.string().optional(),
  prompt: z.string().optional(),
  code: z.string(),
  test_list: z.array(z.string()).min(1),
  test_setup_code: z.string().default(''),
  test_imports: z.array(z.string()).default([]),
});

/** Which upstream shape a record has, from its fields. */
export function detectCodeFormat(value: unknown): CodeTaskFormat | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const row = value as Record<string, unknown>;
  if ('test_list' in row) return 'mbpp';
  if ('language' in row && 'entry_point' in row) return 'mxeval';
  if ('declaration' in row || String(row.task_id).startsWith('JavaScript/')) return 'humaneval-x';
  if ('entry_point' in row && 'test' in row) return 'humaneval';
  return undefined;
}

/** The function an MBPP assert calls: the first `def` of the reference that the first assert uses. */
function mbppEntryPoint(code: string, firstAssert: string): string {
  const defined = [...code.matchAll(/^def\s+([A-Za-z_]\w*)\s*\(/gm)].map((match) => match[1] as string);
  return defined.find((name) => new RegExp(`\\b${name}\\s*\\(`).test(firstAssert)) ?? defined[0] ?? 'solution';
}

/** HumanEval-X names its function in the declaration (`const name = (` or `function name(`). */
function humanEvalXEntryPoint(declaration: string): string {
  const match = /(?:const|function)\s+([A-Za-z_$][\w$]*)/.exec(declaration);
  return match?.[1] ?? 'solution';
}

/** Short suite name for a format and task id family. */
export function codeSuiteName(format: CodeTaskFormat, taskId: string, language: string): string {
  if (format === 'humaneval') return 'humaneval';
  if (format === 'mbpp') return 'mbpp';
  if (format === 'humaneval-x') return 'humaneval-x-js';
  const short = language === 'typescript' ? 'ts' : 'js';
  return taskId.startsWith('MB') ? `mbxp-${short}` : `humaneval-${short}`;
}

/** One record → the spec of its task. */
function specOf(format: CodeTaskFormat, record: SourcedRecord, file: string): { id: string; statement: string; spec: CodeTaskSpec } {
  switch (format) {
    case 'humaneval': {
      const row = parseRecord(HumanEvalRow, record, file);
      const reference = row.canonical_solution ? row.prompt + row.canonical_solution : null;
      return {
        id: row.task_id,
        statement: row.prompt,
        spec: { format, language: 'python', file: 'solution.py', prompt: row.prompt, test: row.test, entryPoint: row.entry_point, testSetup: '', reference },
      };
    }
    case 'mxeval': {
      const row = parseRecord(MxEvalRow, record, file);
      const reference = row.canonical_solution ? row.prompt + row.canonical_solution : null;
      const file_ = `solution.${EXTENSION[row.language]}`;
      return {
        id: row.task_id,
        statement: row.prompt,
        spec: { format, language: row.language, file: file_, prompt: row.prompt, test: row.test, entryPoint: row.entry_point, testSetup: '', reference },
      };
    }
    case 'humaneval-x': {
      const row = parseRecord(HumanEvalXRow, record, file);
      const reference = row.canonical_solution ? row.prompt + row.canonical_solution : null;
      const entryPoint = humanEvalXEntryPoint(row.declaration ?? row.prompt);
      return {
        id: row.task_id,
        statement: row.prompt,
        spec: { format, language: 'javascript', file: 'solution.js', prompt: row.prompt, test: row.test, entryPoint, testSetup: '', reference },
      };
    }
    case 'mbpp': {
      const row = parseRecord(MbppRow, record, file);
      const text = row.text ?? row.prompt;
      if (!text) throw new InvalidInputError('expected a task description in `text` or `prompt`', { file, line: record.line, field: 'text' });
      const tests = row.test_list.join('\n');
      const statement = `${text}\n\nYour code should pass these tests:\n\n${tests}\n`;
      const prompt = `${statement
        .trimEnd()
        .split('\n')
        .map((line) => `# ${line}`.trimEnd())
        .join('\n')}\n\n`;
      const testSetup = [row.test_setup_code, ...row.test_imports].filter(Boolean).join('\n');
      return {
        id: `MBPP/${row.task_id}`,
        statement,
        spec: {
          format,
          language: 'python',
          file: 'solution.py',
          prompt,
          test: tests,
          entryPoint: mbppEntryPoint(row.code, row.test_list[0] as string),
          testSetup,
          reference: `${prompt}${row.code.replace(/\r\n/g, '\n')}\n`,
        },
      };
    }
  }
}

/** Options of `loadCodeTasks`. */
export interface LoadCodeTasksOptions {
  /** Force a format instead of detecting it from the first record. */
  format?: CodeTaskFormat;
  /** Suite name to give the tasks (default: derived from the format, e.g. `mbxp-ts`). */
  suite?: string;
}

/**
 * Loads function-level tasks (HumanEval, MBPP, MxEval/MBXP, HumanEval-X) from JSONL, JSONL.gz or
 * a JSON array. The hidden test goes into `metadata.code` (the agent never sees metadata).
 */
export function loadCodeTasks(file: string, options: LoadCodeTasksOptions = {}): Task[] {
  const records = readRecords(file);
  if (records.length === 0) throw new InvalidInputError('no tasks in the file', { file });
  const format = options.format ?? detectCodeFormat(records[0]?.value);
  if (!format) {
    throw new InvalidInputError('cannot tell the task format (expected HumanEval, MBPP, MxEval or HumanEval-X fields)', {
      file,
      line: records[0]?.line,
    });
  }
  return records.map((record) => {
    const { id, statement, spec } = specOf(format, record, file);
    const suite = options.suite ?? codeSuiteName(format, id, spec.language);
    return {
      id,
      suite,
      title: `${id} (${spec.entryPoint})`,
      statement,
      tests: { failToPass: [spec.entryPoint], passToPass: [] },
      features: { language: spec.language, statementChars: statement.length },
      metadata: { code: spec, source: basename(file) },
    };
  });
}
