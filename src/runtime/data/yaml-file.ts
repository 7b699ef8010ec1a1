import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { InvalidInputError, unreadableReason } from '../../core/errors.js';
import { readUtf8File } from './read-text.js';

/** A parsed YAML (or JSON) file and a way to find the line of any path in it. */
export interface YamlFile {
  /** The document as plain values. */
  value: unknown;
  /** The file, for messages. */
  file: string;
  /** 1-based line of the node at `path` (or of its nearest ancestor that has one). */
  lineOf: (path: (string | number)[]) => number | undefined;
}

/**
 * Reads a YAML or JSON file, keeping node positions so validation errors can name the line of
 * the offending field. An unreadable file or invalid YAML is an `InvalidInputError` naming the
 * file (and the line, for YAML errors); `what` says what the file is for, e.g. `workers file`.
 */
export function readYamlFile(file: string, what: string): YamlFile {
  let text: string;
  try {
    text = readUtf8File(file);
  } catch (error) {
    if (InvalidInputError.isInstance(error)) throw error;
    throw new InvalidInputError(`cannot read ${what}: ${unreadableReason(error, 'a file')}`, { file });
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    throw new InvalidInputError(`not valid YAML: ${first?.message.split('\n')[0]}`, { file, line: first?.linePos?.[0]?.line });
  }
  const lineOf = (path: (string | number)[]): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = document.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node && (isMap(node) || isSeq(node) || node.range)) return node.range ? lineCounter.linePos(node.range[0]).line : undefined;
    }
    return undefined;
  };
  return { value: document.toJS(), file, lineOf };
}
