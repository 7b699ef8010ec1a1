import { describe, expect, it } from 'vitest';
import { storableBaseUrl } from '../../src/runtime/providers/stored-base-url.js';

describe('the base URL a run stores for retry', () => {
  it('keeps scheme, host, port and path, and drops user, password, query and fragment', () => {
    expect(storableBaseUrl('http://127.0.0.1:8080/v1')).toBe('http://127.0.0.1:8080/v1');
    expect(storableBaseUrl('https://me:sk-secret@proxy.example/openai/v1?api-key=sk-other#x')).toBe('https://proxy.example/openai/v1');
  });

  it('stores nothing when no URL was given or it cannot be parsed', () => {
    expect(storableBaseUrl(undefined)).toBeUndefined();
    expect(storableBaseUrl('not a url')).toBeUndefined();
  });
});
