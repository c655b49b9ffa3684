/**
 * Remembers signature nonces so a replayed Alibaba request is refused (`SignatureNonceUsed`).
 *
 * A nonce only needs remembering while its request could still pass the 15-minute date check, so
 * entries expire after that window (real time). The cache is also bounded, so a long benchmark cannot
 * grow memory without limit; past `capacity` the oldest nonces are forgotten first (documented in
 * LIMITATIONS.md). Entries sit in a ring in arrival (= expiry) order, so eviction is O(1) and never
 * scans the map.
 */
interface Entry {
  readonly expiry: number;
  readonly slot: number;
}

export class NonceCache {
  private readonly seen = new Map<string, Entry>();
  private readonly ring: (string | undefined)[];
  /** Slot of the oldest entry. */
  private head = 0;
  private count = 0;

  constructor(
    private readonly windowMs: number,
    capacity: number,
  ) {
    this.ring = new Array<string | undefined>(Math.max(1, capacity));
  }

  /** Records the nonce; false when it was already used inside the window. */
  claim(accessKeyId: string, nonce: string, wallNow: number): boolean {
    const key = `${accessKeyId}\u0000${nonce}`;
    while (this.count > 0 && this.expiryAt(this.head) <= wallNow) this.dropOldest();
    const known = this.seen.get(key);
    if (known !== undefined && known.expiry > wallNow) return false;
    if (this.count === this.ring.length) this.dropOldest();
    const slot = (this.head + this.count) % this.ring.length;
    this.ring[slot] = key;
    this.count += 1;
    this.seen.set(key, { expiry: wallNow + this.windowMs, slot });
    return true;
  }

  clear(): void {
    this.seen.clear();
    this.ring.fill(undefined);
    this.head = 0;
    this.count = 0;
  }

  get size(): number {
    return this.seen.size;
  }

  private expiryAt(slot: number): number {
    const key = this.ring[slot];
    const entry = key === undefined ? undefined : this.seen.get(key);
    // A slot whose key was claimed again later belongs to the newer slot: treat it as expired.
    return entry === undefined || entry.slot !== slot ? -Infinity : entry.expiry;
  }

  private dropOldest(): void {
    const key = this.ring[this.head];
    if (key !== undefined && this.seen.get(key)?.slot === this.head) this.seen.delete(key);
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.ring.length;
    this.count -= 1;
  }
}
