import { describe, expect, it } from 'vitest';
import type { LabeledForecast } from '../../src/core/index.js';
import { buildForecastPrompt, calibrationPhrase, cardStats, renderCard } from '../../src/runtime/elicit/index.js';

function row(taskId: string, p: number, y: 0 | 1, extra: Partial<LabeledForecast> = {}): LabeledForecast {
  return {
    taskId,
    workerId: 'w',
    treatment: 'direct',
    p,
    expectedTokens: 1000,
    y,
    tokens: null,
    costUsd: null,
    blendedPrice: null,
    groups: { repo: 'a/a' },
    ...extra,
  };
}

describe('cardStats', () => {
  it('leaves the current task out and counts each task once', () => {
    const rows = [
      row('t1', 0.8, 1, { tokens: 3000 }),
      row('t1', 0.6, 1, { tokens: 5000 }), // a repeat: t1's p is (0.8 + 0.6) / 2 = 0.7
      row('t2', 0.9, 0, { tokens: 2000 }),
      row('t3', 0.5, 0, { tokens: null, costUsd: 0.01, blendedPrice: 1e-6 }), // 0.01 / 1e-6 = 10,000 tokens
      row('current', 0.1, 1, { tokens: 999_999 }),
    ];
    const stats = cardStats({ rows, taskId: 'current', repo: 'a/a' });
    // Tasks t1, t2, t3: solved 1 of 3; mean p = (0.7 + 0.9 + 0.5) / 3 = 0.7.
    expect(stats?.tasks).toBe(3);
    expect(stats?.solved).toBe(1);
    expect(stats?.meanP).toBeCloseTo(0.7, 12);
    // Multiples actual/forecast: 3, 5, 2, 10 → median of [2, 3, 5, 10] = 4.
    expect(stats?.tokenMultiple).toBeCloseTo(4, 12);
    // Only 3 tasks share the repository (< 5): no repository line.
    expect(stats?.sameRepo).toBeUndefined();
  });

  it('adds the same-repository line from 5 held-out tasks', () => {
    const rows = ['a', 'b', 'c', 'd', 'e'].map((id, i) => row(id, 0.6, i < 2 ? 1 : 0));
    rows.push(row('x', 0.2, 1, { groups: { repo: 'other/repo' } }));
    const stats = cardStats({ rows, taskId: 'current', repo: 'a/a' });
    expect(stats?.sameRepo).toEqual({ repo: 'a/a', tasks: 5, solved: 2, meanP: 0.6 });
    const text = renderCard(stats);
    expect(text).toContain('On 5 earlier tasks from the same repository (a/a) you solved 2 (40%)');
  });

  it('undefined without held-out rows, and the card says so', () => {
    expect(cardStats({ rows: [row('current', 0.5, 1)], taskId: 'current' })).toBeUndefined();
    expect(renderCard(undefined)).toContain('no track record');
  });
});

describe('renderCard', () => {
  it('states pass rate, over/under-confidence in points, token multiple, and the instruction', () => {
    // 62 of 100 solved, mean p 0.74 → overconfident by 12 points.
    const text = renderCard({ tasks: 100, solved: 62, meanP: 0.74, tokenMultiple: 3.2, sameRepo: undefined });
    expect(text).toContain('you solved 62 of 100 tasks (62%)');
    expect(text).toContain('0.74: overconfident by 12 points');
    expect(text).toContain('typically 3.2 times your forecast');
    expect(text).toContain('Start from these tendencies');
  });

  it('close to calibrated under 3 points, underconfident otherwise', () => {
    expect(calibrationPhrase(0.62, 0.6)).toContain('close to calibrated');
    expect(calibrationPhrase(0.5, 0.6)).toBe('underconfident by 10 points');
  });
});

describe('buildForecastPrompt', () => {
  const task = {
    id: 'x__y-1',
    suite: 'swebench',
    title: 'Title',
    repo: 'x/y',
    baseCommit: 'abc123',
    statement: 'Use {{ value }} and {% raw %} and ${HOME} literally',
    tests: { failToPass: ['test_a'], passToPass: ['test_b', 'test_c'] },
    features: {},
    metadata: {},
  };

  it('contains the task fields verbatim, template syntax included', () => {
    const { system, prompt } = buildForecastPrompt({ task, treatment: 'direct' });
    expect(system).toContain('strict JSON');
    for (const piece of ['Task id: x__y-1', 'Repository: x/y', 'Base commit: abc123', 'Use {{ value }} and {% raw %} and ${HOME} literally', '- test_a', 'Plus 2 existing tests']) {
      expect(prompt).toContain(piece);
    }
  });

  it('the bid prompt states the breakeven formula and the terms', () => {
    const { prompt } = buildForecastPrompt({ task, treatment: 'bid', bid: { bountyUsd: 1, failurePenaltyUsd: 2, pricePerToken: 7.875e-6 } });
    expect(prompt).toContain('b* = (ĉ + F·(1 − p)) / p');
    expect(prompt).toContain('$1.00');
    expect(prompt).toContain('penalty of $2.00');
    expect(prompt).toContain('"ask"');
  });
});
