import { Emitter } from '../src/emitter.js';

export default {
  'a once listener does not make emit skip the next listener': () => {
    const e = new Emitter();
    const calls: string[] = [];
    e.once('tick', () => calls.push('once'));
    e.on('tick', () => calls.push('always'));
    e.emit('tick');
    e.emit('tick');
    return calls;
  },
  'two once listeners both run once': () => {
    const e = new Emitter();
    const calls: number[] = [];
    e.once('tick', () => calls.push(1));
    e.once('tick', () => calls.push(2));
    return [e.emit('tick'), e.emit('tick'), calls];
  },
  'calls listeners with arguments': () => {
    const e = new Emitter();
    const seen: number[] = [];
    e.on('data', (a: number, b: number) => seen.push(a + b));
    return [e.emit('data', 1, 2), seen];
  },
  'removes a listener with the returned function': () => {
    const e = new Emitter();
    let n = 0;
    const off = e.on('x', () => n++);
    off();
    return [e.emit('x'), n];
  },
};
