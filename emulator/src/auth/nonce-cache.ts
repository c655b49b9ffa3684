/**
 * Remembers signature nonces so a replayed Alibaba request is refused (`SignatureNonceUsed`).
 *
 * A nonce only needs remembering while its request could still pass the 15-minute date check, so
 * entries expire after that window (real time). The cache is also bounded, so a long benchmark cannot
 * grow memory without limit; past `capacity` the oldest nonces are forgotten first (documented in
 * LIMITATIONS.md). Entries sit in a ring in arrival (= expiry) order, so eviction is O(1) and never
 * scans the map.
 */
export class NonceCache {
  /** Key to its ring slot: numbers, not objects, so 200,000 remembered nonces cost the GC little. */
  private readonly slotOf = new Map<string, number>();
  private readonly keys: (string | undefined)[];
  private readonly expiries: Float64Array;
  /** Slot of the oldest entry. */
  private head = 0;
  private count = 0;

  constructor(
    private readonly windowMs: number,
    capacity: number,
  ) {
    this.keys = new Array<string | undefined>(Math.max(1, capacity));
    this.expiries = new Float64Array(Math.max(1, capacity));
  }

  /** Records the nonce; false when it was already used inside the window. */
  claim(accessKeyId: string, nonce: string, wallNow: number): boolean {
    const key = `${accessKeyId}\u0000${nonce}`;
    while (this.count > 0 && this.expiryAt(this.head) <= wallNow) this.dropOldest();
    const known = this.slotOf.get(key);
    if (known !== undefined && (this.expiries[known] as number) > wallNow) return false;
    if (this.count === this.keys.length) this.dropOldest();
    const slot = (this.head + this.count) % this.keys.length;
    this.keys[slot] = key;
    this.expiries[slot] = wallNow + this.windowMs;
    this.count += 1;
    this.slotOf.set(key, slot);
    return true;
  }

  clear(): void {
    this.slotOf.clear();
    this.keys.fill(undefined);
    this.head = 0;
    this.count = 0;
  }

  get size(): number {
    return this.slotOf.size;
  }

  private expiryAt(slot: number): number {
    const key = this.keys[slot];
    // A slot whose key was claimed again later belongs to the newer slot: treat it as expired.
    return key === undefined || this.slotOf.get(key) !== slot ? -Infinity : (this.expiries[slot] as number);
  }

  private dropOldest(): void {
    const key = this.keys[this.head];
    if (key !== undefined && this.slotOf.get(key) === this.head) this.slotOf.delete(key);
    this.keys[this.head] = undefined;
    this.head = (this.head + 1) % this.keys.length;
    this.count -= 1;
  }
}
