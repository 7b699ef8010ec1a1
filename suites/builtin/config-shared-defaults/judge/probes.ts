import { createConfig } from '../src/config.js';

export default {
  'configs do not share state': () => {
    const a = createConfig({ retries: 5 });
    a.headers.Authorization = 'Bearer A';
    a.plugins.push('trace');
    const b = createConfig();
    return { b: { retries: b.retries, timeoutMs: b.timeoutMs, headers: { ...b.headers }, plugins: [...b.plugins] }, aRetries: a.retries, bKeys: Object.keys(b).sort() };
  },
  'header overrides do not change later configs': () => {
    createConfig({ headers: { 'X-Tenant': 't1' } });
    return { ...createConfig().headers };
  },
  'applies overrides': () => {
    const config = createConfig({ timeoutMs: 50 });
    return [config.timeoutMs, config.headers.Accept];
  },
  'merges header overrides': () => {
    const config = createConfig({ headers: { 'X-Trace': '1' } });
    return [config.headers['X-Trace'], config.headers.Accept];
  },
};
