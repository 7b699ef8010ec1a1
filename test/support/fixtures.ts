import type { Attempt } from '../../src/core/attempt.js';
import type { Forecast } from '../../src/core/forecast.js';
import type { Task } from '../../src/core/task.js';
import type { Worker } from '../../src/core/worker.js';

/** A task with awkward text: commas, quotes, newlines, unicode and template syntax. */
export function sampleTask(id = 'acme__widget-1'): Task {
  return {
    id,
    suite: 'custom',
    title: 'Fix "widget", again',
    repo: 'acme/widget',
    baseCommit: 'abc123',
    statement: 'Line one, with a comma\nLine "two" — ünïcode {{ name }} ${x} {% if %}\n',
    tests: { failToPass: ['test_a', 'test_b'], passToPass: [] },
    features: { statementLength: 64, hard: 'yes' },
    metadata: { nested: { list: [1, 2, 3] } },
  };
}

/** A worker with a cached-input price. */
export function sampleWorker(id = 'openai:gpt-5.2'): Worker {
  return {
    id,
    model: id,
    provider: id.split(':')[0] as string,
    pricing: { inputPerToken: 1.75e-6, outputPerToken: 1.4e-5, cachedInputPerToken: 1.75e-7 },
    scaffold: { kind: 'bash-agent', options: { maxSteps: 50 } },
    environment: { kind: 'local', options: {} },
  };
}

/** A valid forecast. */
export function sampleForecast(taskId: string, workerId: string, p = 0.62): Forecast {
  return {
    taskId,
    workerId,
    treatment: 'direct',
    repeat: 0,
    pSuccess: p,
    expectedTokens: 3200,
    ask: null,
    valid: true,
    invalidReason: null,
    rawText: `{"p_success": ${p}, "expected_tokens": 3200}`,
    rationale: '',
  };
}

/** An attempt with the given result. */
export function sampleAttempt(taskId: string, workerId: string, resolved: boolean): Attempt {
  return {
    taskId,
    workerId,
    round: 1,
    outcome: {
      resolved,
      inputTokens: 120_000,
      outputTokens: 8_000,
      cachedTokens: 40_000,
      costUsd: 0.3,
      wallTimeMs: 61_000,
      trajectoryRef: null,
      exitReason: 'submitted',
    },
  };
}
