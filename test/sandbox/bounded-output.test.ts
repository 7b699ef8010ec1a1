import { describe, expect, it } from 'vitest';
import { BoundedOutput, TRUNCATION_MARKER } from '../../src/runtime/sandbox/bounded-output.js';

describe('BoundedOutput', () => {
  it('keeps everything under the cap', () => {
    const out = new BoundedOutput(10);
    out.push(Buffer.from('abc'));
    out.push(Buffer.from('def'));
    expect(out.text()).toBe('abcdef');
    expect(out.truncated).toBe(false);
    expect(out.total).toBe(6);
  });

  it('keeps the first half and the last half of a flood, across chunk boundaries', () => {
    // Cap 6: head 3 bytes, tail 3 bytes. Input "0123456789" in chunks of 4, 4, 2:
    // head = "012", tail = last three bytes = "789".
    const out = new BoundedOutput(6);
    out.push(Buffer.from('0123'));
    out.push(Buffer.from('4567'));
    out.push(Buffer.from('89'));
    expect(out.total).toBe(10);
    expect(out.truncated).toBe(true);
    expect(out.bytes().toString()).toBe('012789');
    expect(out.text()).toBe(`012${TRUNCATION_MARKER}789`);
  });

  it('is exact at the boundary', () => {
    const out = new BoundedOutput(4);
    out.push(Buffer.from('abcd'));
    expect(out.truncated).toBe(false);
    expect(out.text()).toBe('abcd');
  });
});
