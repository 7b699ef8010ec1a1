import { z } from 'zod';

/** Programming language of a function-level task. */
export const CodeLanguageSchema = z.enum(['python', 'javascript', 'typescript']);
/** Programming language of a function-level task. */
export type CodeLanguage = z.infer<typeof CodeLanguageSchema>;

/**
 * Upstream shape of a function-level task: `humaneval` (OpenAI, Python, `check(candidate)`),
 * `mbpp` (Google, Python asserts), `mxeval` (Amazon MBXP/multilingual HumanEval: JS/TS asserts),
 * `humaneval-x` (CodeGeeX JavaScript, `console.assert`).
 */
export const CodeTaskFormatSchema = z.enum(['humaneval', 'mbpp', 'mxeval', 'humaneval-x']);
/** Upstream shape of a function-level task. */
export type CodeTaskFormat = z.infer<typeof CodeTaskFormatSchema>;

/** Everything needed to start and judge a function-level task (kept in `Task.metadata.code`). */
export const CodeTaskSpecSchema = z.object({
  /** Upstream shape. */
  format: CodeTaskFormatSchema,
  /** Language of the solution. */
  language: CodeLanguageSchema,
  /** The file the agent edits, e.g. `solution.ts`. */
  file: z.string(),
  /** Text the solution file starts from (signature and documentation). */
  prompt: z.string(),
  /** The hidden test code. */
  test: z.string(),
  /** Name of the function under test. */
  entryPoint: z.string(),
  /** MBPP only: code run before the asserts. */
  testSetup: z.string().default(''),
  /** A known-good complete solution file, when upstream has one. */
  reference: z.string().nullable().default(null),
});
/** Everything needed to start and judge a function-level task. */
export type CodeTaskSpec = z.infer<typeof CodeTaskSpecSchema>;

/** File extension per language. */
export const EXTENSION: Record<CodeLanguage, string> = { python: 'py', javascript: 'js', typescript: 'ts' };
