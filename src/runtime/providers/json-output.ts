import type { JSONSchema7, Output } from 'ai';

/**
 * A structured-output spec that asks the provider for JSON matching `schema` (response_format,
 * text.format, output_config or responseSchema, whatever the provider speaks) but hands back the
 * reply text unparsed, so that a reply which does not match still arrives with its usage and is
 * judged by our own tolerant parser instead of becoming an exception.
 */
export function rawJsonOutput(schema: JSONSchema7, name?: string): Output.Output<string, string> {
  return {
    name: 'object',
    responseFormat: Promise.resolve({ type: 'json', schema, ...(name !== undefined && { name }) }),
    parseCompleteOutput: async ({ text }) => text,
    parsePartialOutput: async ({ text }) => ({ partial: text }),
    createElementStreamTransform: () => undefined,
  };
}
