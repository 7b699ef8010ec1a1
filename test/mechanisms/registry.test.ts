import { describe, expect, it } from 'vitest';
import { mechanismFromSpec, mechanismNames, parseSpec } from '../../src/mechanisms/index.js';

describe('mechanism specs', () => {
  it('lists every kind with its syntax', () => {
    const kinds = mechanismNames().map((entry) => entry.kind);
    for (const kind of ['solo', 'cheapest', 'strongest', 'parallel-all', 'cascade', 'reserve', 'first-price', 'second-price', 'scoring', 'reputation', 'router', 'central', 'oracle']) {
      expect(kinds).toContain(kind);
    }
  });

  it('keeps worker ids that contain colons whole', () => {
    expect(parseSpec('solo:openai:gpt-5', ['openai:gpt-5'])).toEqual({ kind: 'solo', argument: 'openai:gpt-5', options: {} });
    expect(parseSpec('cascade:openai:a>openai:b', ['openai:a', 'openai:b']).argument).toBe('openai:a>openai:b');
    expect(parseSpec('scoring:bounty=90:forceBids=false', [])).toEqual({
      kind: 'scoring',
      argument: undefined,
      options: { bounty: '90', forceBids: 'false' },
    });
  });

  it('builds names that carry non-default parameters', () => {
    expect(mechanismFromSpec('reputation:platt', ['a']).name).toBe('reputation:platt');
    expect(mechanismFromSpec('scoring:bounty=90', ['a']).name).toBe('scoring:bounty=90');
    expect(mechanismFromSpec('cascade:learned', ['a']).name).toBe('cascade:learned');
  });

  it('rejects bad options with a message naming the spec', () => {
    expect(() => mechanismFromSpec('scoring:bounty=lots', ['a'])).toThrow(/bounty=lots.*scoring:bounty=lots.*not a number/);
    expect(() => mechanismFromSpec('reputation:magic', ['a'])).toThrow(/unknown calibration 'magic'/);
    expect(() => mechanismFromSpec('central', ['a'])).toThrow(/needs recorded router choices/);
  });
});
