import { describe, expect, it } from 'vitest';
import { parseForecastReply } from '../../src/runtime/elicit/index.js';

describe('parseForecastReply', () => {
  it('reads strict JSON', () => {
    const parsed = parseForecastReply('{"p_success": 0.35, "expected_tokens": 42000, "rationale": " small fix "}', 'direct');
    expect(parsed).toEqual({ valid: true, invalidReason: null, pSuccess: 0.35, expectedTokens: 42000, ask: null, rationale: 'small fix' });
  });

  it('finds JSON inside prose and code fences', () => {
    const fenced = 'Here is my estimate:\n```json\n{"p_success": 0.7, "expected_tokens": 9000}\n```\nGood luck!';
    expect(parseForecastReply(fenced, 'direct').pSuccess).toBe(0.7);
    const prose = 'I looked at it {roughly}. My answer: {"p_success": 0.25, "expected_tokens": 1000} — thanks.';
    expect(parseForecastReply(prose, 'direct').pSuccess).toBe(0.25);
  });

  it('reads "80%" as 0.8 and token strings with separators and suffixes', () => {
    const parsed = parseForecastReply('{"p_success": "80%", "expected_tokens": "12,500"}', 'direct');
    expect(parsed.pSuccess).toBeCloseTo(0.8, 12);
    expect(parsed.expectedTokens).toBe(12500);
    expect(parseForecastReply('{"p_success": 0.5, "expected_tokens": "12k"}', 'direct').expectedTokens).toBe(12000);
    expect(parseForecastReply('{"p_success": 0.5, "expected_tokens": "1.5M"}', 'direct').expectedTokens).toBe(1500000);
  });

  it('rejects p above 1 (80 or 1.7) instead of guessing a percentage', () => {
    for (const p of ['80', '1.7']) {
      const parsed = parseForecastReply(`{"p_success": ${p}, "expected_tokens": 1000}`, 'direct');
      expect(parsed.valid).toBe(false);
      expect(parsed.pSuccess).toBeNull();
      expect(parsed.invalidReason).toContain('outside [0, 1]');
    }
    expect(parseForecastReply('{"p_success": "120%"}', 'direct').invalidReason).toContain('outside');
    expect(parseForecastReply('{"p_success": -0.1}', 'direct').valid).toBe(false);
  });

  it('missing p is invalid; missing tokens alone is valid with null tokens', () => {
    const noP = parseForecastReply('{"expected_tokens": 1000}', 'direct');
    expect(noP.valid).toBe(false);
    expect(noP.invalidReason).toBe('missing p_success');
    const noTokens = parseForecastReply('{"p_success": 0.4}', 'direct');
    expect(noTokens.valid).toBe(true);
    expect(noTokens.expectedTokens).toBeNull();
  });

  it('bad tokens make the forecast invalid but keep the readable p', () => {
    const parsed = parseForecastReply('{"p_success": 0.4, "expected_tokens": -5}', 'direct');
    expect(parsed.valid).toBe(false);
    expect(parsed.pSuccess).toBe(0.4);
    expect(parsed.invalidReason).toContain('negative');
  });

  it('rescues a reply cut off by the output cap', () => {
    const parsed = parseForecastReply('{"p_success": 0.65, "expected_tokens": 30000, "rationale": "The bug is in the parser and the fix nee', 'direct');
    expect(parsed.valid).toBe(true);
    expect(parsed.pSuccess).toBe(0.65);
    expect(parsed.expectedTokens).toBe(30000);
  });

  it('accepts synonyms and nested objects', () => {
    expect(parseForecastReply('{"Probability": 0.9, "Tokens": 5}', 'direct').pSuccess).toBe(0.9);
    expect(parseForecastReply('{"forecast": {"p_success": 0.3}}', 'direct').pSuccess).toBe(0.3);
  });

  it('no JSON at all is invalid with a reason', () => {
    const parsed = parseForecastReply('I cannot estimate that.', 'direct');
    expect(parsed.valid).toBe(false);
    expect(parsed.invalidReason).toContain('no JSON');
  });

  it('bid replies need an ask', () => {
    expect(parseForecastReply('{"p_success": 0.5, "expected_tokens": 100, "ask": "$0.45"}', 'bid').ask).toBe(0.45);
    const missing = parseForecastReply('{"p_success": 0.5, "expected_tokens": 100}', 'bid');
    expect(missing.valid).toBe(false);
    expect(missing.invalidReason).toBe('missing ask');
  });
});
