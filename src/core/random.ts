/**
 * Seeded pseudo-random numbers, identical on every machine.
 *
 * Algorithm: xoshiro128** (Blackman & Vigna, 2018) on four 32-bit words of state,
 * seeded by running splitmix32 over the seed. String seeds are first hashed to 32 bits
 * with FNV-1a over their UTF-16 code units. A double in [0, 1) takes the top 53 bits of two
 * consecutive outputs. Only 32-bit integer arithmetic (`Math.imul`, `>>>`) is used, so the
 * stream does not depend on the platform.
 */
export class Random {
  private readonly state: Uint32Array;
  /** The seed this generator was made from, as given. */
  readonly seed: number | string;

  /** Creates a generator from a number (its low 32 bits after truncation) or a string. */
  constructor(seed: number | string) {
    this.seed = seed;
    let s = typeof seed === 'string' ? hashString(seed) : Math.trunc(seed) >>> 0;
    this.state = new Uint32Array(4);
    for (let i = 0; i < 4; i++) {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.state[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if (this.state.every((word) => word === 0)) this.state[0] = 1;
  }

  /** Next raw 32-bit unsigned integer of the stream. */
  nextUint32(): number {
    const s = this.state;
    const result = Math.imul(rotl(Math.imul(s[1] as number, 5), 7), 9) >>> 0;
    const t = ((s[1] as number) << 9) >>> 0;
    s[2] = (s[2] as number) ^ (s[0] as number);
    s[3] = (s[3] as number) ^ (s[1] as number);
    s[1] = (s[1] as number) ^ (s[2] as number);
    s[0] = (s[0] as number) ^ (s[3] as number);
    s[2] = (s[2] as number) ^ t;
    s[3] = rotl(s[3] as number, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 bits of precision. */
  next(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform double in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [0, n) without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Random.int needs a positive integer, got ${n}`);
    if (n <= 0x100000000) {
      const limit = 0x100000000 - (0x100000000 % n);
      for (;;) {
        const x = this.nextUint32();
        if (x < limit) return x % n;
      }
    }
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal draw scaled to the given mean and standard deviation (Box–Muller). */
  normal(mean = 0, sd = 1): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal draw: exp of a normal with the given log-mean and log-sd. */
  lognormal(logMean: number, logSd: number): number {
    return Math.exp(this.normal(logMean, logSd));
  }

  /** A uniformly chosen element; throws on an empty array. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Random.choice on an empty array');
    return items[this.int(items.length)] as T;
  }

  /** A new shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }

  /**
   * An independent generator derived from this one's seed and a label. It neither reads nor
   * advances this stream, so `fork('task-17')` gives the same numbers whatever was drawn before.
   */
  fork(label: string | number): Random {
    return new Random(`${String(this.seed)}/${String(label)}`);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** FNV-1a 32-bit hash of a string's UTF-16 code units. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
