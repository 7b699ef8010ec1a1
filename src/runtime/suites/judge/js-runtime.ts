/**
 * JavaScript source of both ends of the judge's call bridge (written into sandboxes as text).
 *
 * Wire values are JSON with tags for what JSON cannot say exactly: `{"$n":"NaN"}` (non-finite and
 * -0 numbers), `{"$u":1}` (undefined), `{"$b":"12"}` (bigint), `{"$o":[[key, value], …]}` (plain
 * objects, so a key named `$n` stays a key), `{"$m":[[k, v], …]}` Map, `{"$s":[…]}` Set. Only
 * primitives, plain arrays, plain objects, Maps and Sets cross;
 * anything else (class instances, functions, proxies of other objects) is refused by the sender.
 * The receiver builds fresh values with its own constructors, so no candidate object, getter or
 * prototype ever reaches the judge.
 */
export const JS_CODEC = `
const __mbEncode = (value, depth = 0) => {
  if (depth > 200) throw new TypeError('value nested deeper than 200 levels');
  if (value === null) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? value : { $n: Object.is(value, -0) ? '-0' : String(value) };
    case 'undefined':
      return { $u: 1 };
    case 'bigint':
      return { $b: value.toString() };
    case 'object': {
      const proto = Object.getPrototypeOf(value);
      if (Array.isArray(value) && proto === Array.prototype) {
        const out = [];
        for (let index = 0; index < value.length; index++) out.push(__mbEncode(value[index], depth + 1));
        return out;
      }
      if (proto === Map.prototype) return { $m: [...value].map(([key, item]) => [__mbEncode(key, depth + 1), __mbEncode(item, depth + 1)]) };
      if (proto === Set.prototype) return { $s: [...value].map((item) => __mbEncode(item, depth + 1)) };
      if (proto === Object.prototype || proto === null) {
        return { $o: Object.keys(value).map((key) => [key, __mbEncode(value[key], depth + 1)]) };
      }
      throw new TypeError('cannot send an instance of ' + ((proto && proto.constructor && proto.constructor.name) || 'an unknown class') + ' to the judge (only plain data)');
    }
    default:
      throw new TypeError('cannot send a ' + typeof value + ' to the judge (only plain data)');
  }
};
const __mbDecode = (wire) => {
  if (wire === null || typeof wire === 'boolean' || typeof wire === 'string' || typeof wire === 'number') return wire;
  if (Array.isArray(wire)) return wire.map(__mbDecode);
  if (typeof wire !== 'object') throw new TypeError('malformed value');
  if (typeof wire.$n === 'string') return wire.$n === '-0' ? -0 : Number(wire.$n);
  if (wire.$u === 1) return undefined;
  if (typeof wire.$b === 'string') return BigInt(wire.$b);
  if (Array.isArray(wire.$m)) return new Map(wire.$m.map((pair) => [__mbDecode(pair[0]), __mbDecode(pair[1])]));
  if (Array.isArray(wire.$s)) return new Set(wire.$s.map(__mbDecode));
  if (Array.isArray(wire.$o)) {
    const out = {};
    for (const pair of wire.$o) {
      if (!Array.isArray(pair) || typeof pair[0] !== 'string') throw new TypeError('malformed object');
      Object.defineProperty(out, pair[0], { value: __mbDecode(pair[1]), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  throw new TypeError('malformed value');
};
`;

/**
 * The candidate's end: serves calls `{id, call, args}` read from stdin lines by calling
 * `__mbFunctions[call]` (awaiting promises) and writes `<nonce> {id, value}` or `<nonce> {id, error}`
 * on stdout. Lines the candidate's own code prints are ignored by the bridge (no nonce prefix).
 * Appended after code that defines `__mbFunctions` and `__mbNonce`.
 */
export const JS_CANDIDATE_SERVER = String.raw`
(() => {
  const reply = (message) => process.stdout.write(__mbNonce + ' ' + JSON.stringify(message) + '\n');
  let buffered = '';
  let queue = Promise.resolve();
  const handle = async (line) => {
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      return;
    }
    try {
      const fn = Object.prototype.hasOwnProperty.call(__mbFunctions, request.call) ? __mbFunctions[request.call] : undefined;
      if (typeof fn !== 'function') throw new TypeError(request.call + ' is not defined');
      let value = fn(...__mbDecode(request.args));
      if (value !== null && typeof value === 'object' && typeof value.then === 'function') value = await value;
      reply({ id: request.id, value: __mbEncode(value) });
    } catch (error) {
      const name = error && typeof error.name === 'string' ? error.name : 'Error';
      const message = error && typeof error.message === 'string' ? error.message : String(error);
      reply({ id: request.id, error: { name, message } });
    }
  };
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    buffered += chunk;
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      queue = queue.then(() => handle(line));
    }
  });
  process.stdin.on('end', () => queue.then(() => process.exit(0)));
})();
`;

/**
 * The judge's end, for judge programs whose test code is synchronous: `__mbRemote(name)` returns a
 * function that sends the call and blocks until the candidate answers (a blocking read of stdin),
 * returning a fresh decoded value or throwing the candidate's error (name and message only).
 * `__mbReport(tests)` prints the result line the harness parses. Needs `__mbNonce` defined first.
 */
export const JS_JUDGE_RUNTIME = String.raw`
const __mbFs = require('node:fs');
let __mbInput = '';
let __mbNextId = 0;
const __mbReadLine = () => {
  const buffer = Buffer.alloc(65536);
  for (;;) {
    const newline = __mbInput.indexOf('\n');
    if (newline >= 0) {
      const line = __mbInput.slice(0, newline);
      __mbInput = __mbInput.slice(newline + 1);
      return line;
    }
    let read;
    try {
      read = __mbFs.readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      if (error.code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
        continue;
      }
      throw error;
    }
    if (read === 0) throw new Error('the candidate process ended before answering');
    __mbInput += buffer.toString('utf8', 0, read);
  }
};
const __mbCall = (name, args) => {
  const id = ++__mbNextId;
  __mbFs.writeSync(1, __mbNonce + ' ' + JSON.stringify({ id, call: name, args: __mbEncode(args) }) + '\n');
  for (;;) {
    const reply = JSON.parse(__mbReadLine());
    if (reply.id !== id) continue;
    if (reply.error) {
      const error = new Error(String(reply.error.message));
      error.name = String(reply.error.name);
      throw error;
    }
    return __mbDecode(reply.value);
  }
};
const __mbRemote = (name) => (...args) => __mbCall(name, args);
let __mbReported = false;
const __mbReport = (tests) => {
  if (__mbReported) return;
  __mbReported = true;
  __mbFs.writeSync(1, __mbNonce + ' RESULT ' + JSON.stringify({ tests }) + '\n');
};
`;
