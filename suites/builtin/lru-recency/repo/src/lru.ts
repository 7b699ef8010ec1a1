/** A least-recently-used cache holding at most `capacity` entries. */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError('capacity must be positive');
  }

  /** Number of entries. */
  get size(): number {
    return this.entries.size;
  }

  /** The value of `key`, or undefined. */
  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Stores `value` under `key`, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
    }
    this.entries.set(key, value);
  }
}
