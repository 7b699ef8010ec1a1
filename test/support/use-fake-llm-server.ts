import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type FakeLlmServer, startFakeLlmServer } from './fake-llm-server.js';

/**
 * One fake provider server for a test file: started before its tests, closed after them, and
 * cleared of recorded requests and scripts before each test. Returns a getter, because the server
 * exists only once `beforeAll` has run. (Kept apart from `fake-llm-server.ts`, which the benchmarks
 * import outside vitest.)
 */
export function useFakeLlmServer(): () => FakeLlmServer {
  let server: FakeLlmServer | undefined;
  beforeAll(async () => {
    server = await startFakeLlmServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => server?.clear());
  return () => {
    if (!server) throw new Error('the fake provider server starts in beforeAll');
    return server;
  };
}
