import { mapLimit } from '../src/map-limit.js';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export default {
  'results line up with the input when calls finish out of order': () =>
    mapLimit([60, 10, 30], 2, async (ms: number) => {
      await sleep(ms);
      return ms;
    }),
  'passes the index and keeps order with limit 1': () => mapLimit(['a', 'b', 'c'], 1, async (item: string, index: number) => `${index}:${item}`),
  'maps synchronous-looking work': () => mapLimit([1, 2, 3], 2, async (x: number) => x * 2),
  'never runs more than limit calls at once': async () => {
    let running = 0;
    let peak = 0;
    await mapLimit([5, 5, 5, 5, 5], 2, async (ms: number) => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(ms);
      running -= 1;
    });
    return peak;
  },
};
