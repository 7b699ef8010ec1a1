import type { CodeLanguage, CodeTaskSpec } from './code-task-spec.js';

/** Body that makes an unimplemented function fail loudly. */
const STUB: Record<CodeLanguage, string> = {
  python: '    raise NotImplementedError\n',
  javascript: "  throw new Error('not implemented');\n}\n",
  typescript: "  throw new Error('not implemented');\n}\n",
};

/** The solution file as the agent first sees it: the prompt with a stub body. */
export function starterFile(spec: CodeTaskSpec): string {
  if (spec.format === 'mbpp') return spec.prompt;
  return `${spec.prompt}${STUB[spec.language]}`;
}
