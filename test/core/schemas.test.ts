import { describe, expect, it } from 'vitest';
import {
  AllocationSchema,
  AttemptSchema,
  BidSchema,
  blendedPrice,
  costOf,
  ForecastSchema,
  MarketBenchError,
  InvalidInputError,
  parseModelRef,
  RunSchema,
  TaskSchema,
  WorkerSchema,
} from '../../src/core/index.js';
import { sampleAttempt, sampleForecast, sampleTask, sampleWorker } from '../support/fixtures.js';

describe('core schemas', () => {
  it('round-trip through JSON unchanged', () => {
    const values = [
      [TaskSchema, sampleTask()],
      [WorkerSchema, sampleWorker()],
      [ForecastSchema, sampleForecast('t', 'w')],
      [AttemptSchema, sampleAttempt('t', 'w', false)],
      [BidSchema, { workerId: 'w', taskId: 't', ask: 34, pSuccess: 0.62, expectedCost: 8.4771, fallback: false }],
      [AllocationSchema, { taskId: 't', mechanism: 'oracle', round: 1, workerIds: [], payments: [], detail: {} }],
      [RunSchema, { id: 'r', kind: 'simulate', createdAt: '2026-11-27T00:00:00Z', status: 'done', seed: 1, config: {}, note: null }],
    ] as const;
    for (const [schema, value] of values) {
      expect(schema.parse(JSON.parse(JSON.stringify(value)))).toEqual(value);
    }
  });

  it('fills defaults for a minimal task and rejects an out-of-range forecast', () => {
    expect(TaskSchema.parse({ id: 'a', suite: 's', statement: 'x' })).toEqual({
      id: 'a',
      suite: 's',
      statement: 'x',
      tests: { failToPass: [], passToPass: [] },
      features: {},
      metadata: {},
    });
    const bad = ForecastSchema.safeParse({ ...sampleForecast('t', 'w'), pSuccess: 1.7 });
    expect(bad.success).toBe(false);
  });

  it('prices tokens: blended price is the mean of input and output prices; cached input at its own price', () => {
    const pricing = { inputPerToken: 5e-6, outputPerToken: 2.5e-5 };
    expect(blendedPrice(pricing)).toBeCloseTo(1.5e-5, 15); // the paper's Opus 4.5 figure
    // 1000 input (400 cached at 0.5e-6) + 100 output: 600·5e-6 + 400·0.5e-6 + 100·2.5e-5 = 0.003 + 0.0002 + 0.0025
    expect(costOf({ inputTokens: 1000, outputTokens: 100, cachedInputTokens: 400 }, { ...pricing, cachedInputPerToken: 0.5e-6 })).toBeCloseTo(
      0.0057,
      12,
    );
  });

  it('parses model references', () => {
    expect(parseModelRef('openai:gpt-5.2')).toEqual({ provider: 'openai', model: 'gpt-5.2' });
    expect(parseModelRef('openai-compatible:llama3:8b')).toEqual({ provider: 'openai-compatible', model: 'llama3:8b' });
    expect(parseModelRef('gpt-5.2')).toEqual({ provider: 'unknown', model: 'gpt-5.2' });
  });

  it('errors carry their location and are recognised across copies by isInstance', () => {
    const error = new InvalidInputError("expected a number", { file: 'a.csv', line: 3, field: 'p_success' });
    expect(error.message).toBe("a.csv:3: field 'p_success': expected a number");
    expect(MarketBenchError.isInstance(error)).toBe(true);
    const lookalike = Object.assign(new Error('x'), { [Symbol.for('marketbench.error')]: true, name: 'InvalidInputError' });
    expect(InvalidInputError.isInstance(lookalike)).toBe(true);
    expect(MarketBenchError.isInstance(new Error('plain'))).toBe(false);
  });
});
