// A child process that does N units of "paid" work through the store's job ledger, appending
// one line per paid call to a log, and SIGKILLs itself right after starting job CRASH_AT.
import { appendFileSync } from 'node:fs';
import { jobKey, Store } from '../../src/runtime/store/index.js';

const [file, log, total, crashAt] = process.argv.slice(2) as [string, string, string, string];
const store = Store.open(file);
store.createRun({ kind: 'elicit', id: 'r', createdAt: '2026-11-27T00:00:00.000Z' });
for (let index = 0; index < Number(total); index++) {
  const key = jobKey({ run: 'r', task: `t${index}`, worker: 'w', treatment: 'direct', repeat: 0 });
  if (store.jobStatus(key) === 'done') continue;
  store.startJob({ key, runId: 'r', kind: 'forecast' });
  appendFileSync(log, `${key}\n`);
  if (index === Number(crashAt)) process.kill(process.pid, 'SIGKILL');
  store.putForecast({
    runId: 'r',
    jobKey: key,
    forecast: {
      taskId: `t${index}`, workerId: 'w', treatment: 'direct', repeat: 0, pSuccess: index / Number(total),
      expectedTokens: 1000 + index, ask: null, valid: true, invalidReason: null, rawText: null, rationale: null,
    },
    costUsd: 0.01,
  });
  store.finishJob({ key, status: 'done', costUsd: 0.01 });
}
store.setRunStatus('r', 'done');
store.close();
