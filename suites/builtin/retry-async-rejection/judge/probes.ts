import { retry } from '../src/retry.js';

export default {
  'retries rejected promises': async () => {
    let calls = 0;
    const value = await retry(
      async () => {
        calls++;
        if (calls < 3) throw new Error('flaky');
        return 'ok';
      },
      { attempts: 5 },
    );
    return [value, calls];
  },
  'rejects with the last error and reports each retry': async () => {
    const retries: number[] = [];
    let calls = 0;
    let rejected = 'resolved';
    try {
      await retry(
        async () => {
          calls++;
          throw new Error(`fail ${calls}`);
        },
        { attempts: 3, onRetry: (_error: unknown, attempt: number) => retries.push(attempt) },
      );
    } catch (error) {
      rejected = error instanceof Error ? error.message : 'not an Error';
    }
    return [rejected, retries];
  },
  'returns the first success': async () => retry(async () => 42, { attempts: 3 }),
  'retries functions that throw synchronously': async () => {
    let calls = 0;
    const value = await retry(
      (() => {
        calls++;
        if (calls < 2) throw new Error('sync');
        return Promise.resolve('done');
      }) as () => Promise<string>,
      { attempts: 3 },
    );
    return [value, calls];
  },
};
