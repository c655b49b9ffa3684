/**
 * Fixed bounds of the emulator that more than one module needs. Kept here, below the core and the
 * control API, so neither has to import the other for a number.
 */

/** How long a signature nonce is remembered (real time): longer than the 15-minute date window. */
export const NONCE_WINDOW_MS = 16 * 60_000;

/** At most this many nonces are remembered; past it the oldest are forgotten (LIMITATIONS.md). */
export const NONCE_CAPACITY = 200_000;
