/** The marker put between the head and the tail of capped output. */
export const TRUNCATION_MARKER = '\n[... output truncated by the sandbox ...]\n';

/**
 * Collects a stream's bytes while keeping at most `capBytes`: the first half verbatim and a
 * rolling window of the last half, so a flood never grows memory and both ends stay readable.
 */
export class BoundedOutput {
  private readonly headCap: number;
  private readonly tailCap: number;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer = Buffer.alloc(0);
  /** Every byte seen, kept or not. */
  total = 0;

  constructor(capBytes: number) {
    this.headCap = Math.ceil(capBytes / 2);
    this.tailCap = Math.floor(capBytes / 2);
  }

  /** Adds a chunk. */
  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headCap) {
      const take = Math.min(this.headCap - this.headBytes, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailCap === 0) return;
    const joined = this.tail.length === 0 ? rest : Buffer.concat([this.tail, rest]);
    this.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - this.tailCap)));
  }

  /** True when some bytes were dropped. */
  get truncated(): boolean {
    return this.total > this.headBytes + this.tail.length;
  }

  /** The kept bytes as one buffer (no marker). */
  bytes(): Buffer {
    return Buffer.concat([...this.head, this.tail]);
  }

  /** The kept text, with a marker where the middle was dropped. */
  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    if (!this.truncated) return head + this.tail.toString('utf8');
    return head + TRUNCATION_MARKER + this.tail.toString('utf8');
  }
}
