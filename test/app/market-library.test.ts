import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { market } from '../../src/index.js';
import { Store } from '../../src/runtime/store/index.js';
import { type FakeLlmServer, type FakeOutcome, type FakeRequest, startFakeLlmServer } from '../support/fake-llm-server.js';
import { scriptedSuite, scriptedTask } from '../support/scripted-sandbox.js';
import { PRICING_YAML, USAGE, WORKERS_YAML } from '../market/market-fixtures.js';

const TASK = scriptedTask('gamma', 'blue');
const bash = (command: string) => `THOUGHT: next step.\n\n\`\`\`bash\n${command}\n\`\`\``;

/** bold bids p 0.95 and submits nothing; careful bids p 0.6 and writes the answer. */
function script(request: FakeRequest): FakeOutcome {
  if (request.prompt.includes('You are bidding in a market')) {
    return { text: JSON.stringify({ p_success: request.model === 'bold' ? 0.95 : 0.6, expected_tokens: 1000, ask: 10 }), usage: USAGE.bid };
  }
  const turn = request.messages.filter((message) => message.role === 'assistant').length;
  const plan = request.model === 'careful' ? [bash("cat > answer.txt <<'EOF'\nblue\nEOF"), bash('echo MARKETBENCH_SUBMIT')] : [bash('echo MARKETBENCH_SUBMIT')];
  return { text: plan[turn] ?? bash('echo MARKETBENCH_SUBMIT'), usage: USAGE.agent };
}

let server: FakeLlmServer;
let dir: string;
beforeAll(async () => {
  server = await startFakeLlmServer({ script });
  dir = mkdtempSync(join(tmpdir(), 'mb-library-'));
  writeFileSync(join(dir, 'market.yaml'), WORKERS_YAML);
  writeFileSync(join(dir, 'pricing.yaml'), PRICING_YAML);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the library does what the CLI does', () => {
  it('runs a full market from the package entry point alone, and a second call resumes without paying again', async () => {
    const options = {
      db: 'lib.db',
      cwd: dir,
      suite: scriptedSuite([TASK]),
      workersFile: 'market.yaml',
      pricingFile: 'pricing.yaml',
      arms: ['scoring', 'solo:careful'],
      env: { OPENAI_API_KEY: 'test-key' },
      baseUrl: server.baseUrl('openai-chat'),
      concurrency: 1,
    };
    const result = await market(options);
    expect(result.stopped).toEqual({});
    expect(result.comparison.summaries.map((summary) => [summary.arm, summary.solved])).toEqual([
      ['scoring', 1],
      ['solo:careful', 1],
    ]);
    // 2 bids + scoring: bold 1 call, careful 2 calls + solo careful 2 calls = 7 requests.
    expect(server.requests).toHaveLength(7);
    const store = Store.open(join(dir, 'lib.db'));
    try {
      const rows = store.getAllocations({ runId: result.runId, mechanism: 'scoring' }).map((row) => [row.round, row.workerIds]);
      expect(rows).toEqual([
        [1, ['bold']],
        [2, ['careful']],
      ]);
      // Bids 550 × 1e-6 + 550 × 5e-7, bold 1100 × 1e-6, careful twice 2 × 1100 × 5e-7.
      expect(store.jobSpendUsd(result.runId)).toBeCloseTo(0.000825 + 0.0011 + 2 * 0.0011, 12);
    } finally {
      store.close();
    }
    const again = await market(options);
    expect(again.runId).toBe(result.runId);
    expect(server.requests).toHaveLength(7);
    expect(again.sessionSpendUsd).toBe(0);
  });
});
