import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_RETRY_POLICY, environmentWithDotEnv, makeRedactor, parseDotEnv, retryAfterMs } from '../../src/runtime/providers/index.js';

describe('.env', () => {
  it('parses comments, export, quotes and escapes', () => {
    const text = '# keys\nexport OPENAI_API_KEY=sk-1 # trailing comment\nA="two words\\nline"\nB=\'single # not a comment\'\n\nbad line\n';
    expect(parseDotEnv(text)).toEqual({ OPENAI_API_KEY: 'sk-1', A: 'two words\nline', B: 'single # not a comment' });
  });

  it('the real environment wins over .env; no .env is fine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-env-'));
    try {
      expect(environmentWithDotEnv({ cwd: dir, env: { X: '1' } })).toEqual({ X: '1' });
      writeFileSync(join(dir, '.env'), 'X=from-file\nY=from-file\n');
      expect(environmentWithDotEnv({ cwd: dir, env: { X: 'from-env' } })).toEqual({ X: 'from-env', Y: 'from-file' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads seconds, an HTTP date and retry-after-ms', () => {
    expect(retryAfterMs({ 'Retry-After': '2' }, now)).toBe(2000);
    expect(retryAfterMs({ 'retry-after': '0.5' }, now)).toBe(500);
    expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now)).toBe(30_000);
    expect(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '9' }, now)).toBe(250);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('backs off exponentially up to the cap', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 500, jitter: false };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(policy, attempt))).toEqual([100, 200, 400, 500, 500]);
    // Jitter keeps the delay within [50%, 100%].
    expect(backoffMs({ ...policy, jitter: true }, 1, () => 0)).toBe(50);
  });
});

describe('redaction', () => {
  it('removes secrets anywhere and credential headers by name', () => {
    const redact = makeRedactor(['sk-secret-123']);
    const value = { url: 'https://x/?key=sk-secret-123', headers: { Authorization: 'Bearer other', 'x-goog-api-key': 'AIza' }, list: ['a sk-secret-123 b'] };
    expect(redact(value)).toEqual({ url: 'https://x/?key=[redacted]', headers: { Authorization: '[redacted]', 'x-goog-api-key': '[redacted]' }, list: ['a [redacted] b'] });
    const clean = { a: 1 };
    expect(redact(clean)).toBe(clean);
  });

  it('finds secrets and credential headers at any depth, in keys, and in what toJSON writes', () => {
    const redact = makeRedactor(['sk-secret-123']);
    const deep = { body: { messages: [{ role: 'user', content: `${'x'.repeat(20_000)} sk-secret-123` }] } };
    expect(JSON.stringify(redact(deep))).not.toContain('sk-secret-123');
    expect(redact({ 'sk-secret-123': 1 })).toEqual({ '[redacted]': 1 });
    expect(redact({ nested: [{ 'Proxy-Authorization': 'Basic abc' }] })).toEqual({ nested: [{ 'Proxy-Authorization': '[redacted]' }] });
    // A URL serialises through toJSON; its secret must not reach the stored JSON.
    expect(JSON.stringify(redact({ endpoint: new URL('https://x/?key=sk-secret-123') }))).not.toContain('sk-secret-123');
    // Large clean bodies come back as the same object (no copy).
    const body = { messages: [{ role: 'user', content: 'y'.repeat(50_000) }], bytes: new Uint8Array(8) };
    expect(redact(body)).toBe(body);
  });
});
