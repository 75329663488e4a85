/**
 * The one time source every rule reads (add/update times, purge, webhook retries and bans, token expiry, rate-limit
 * windows). Real time unless a test suite froze or moved it through the admin API; it is per process, so a
 * deployment of several processes keeps real time (the admin API is for single-process test setups).
 */
export interface ClockState {
  /** Epoch milliseconds the clock stands still at, or null when it runs. */
  frozenAt: number | null;
  /** How far a running clock is ahead of real time. */
  offsetMs: number;
}

let state: ClockState = { frozenAt: null, offsetMs: 0 };

/** Milliseconds since the epoch, as personsd's clock says. */
export function now(): number {
  return state.frozenAt ?? Date.now() + state.offsetMs;
}

export function clockState(): ClockState {
  return { ...state };
}

/** Stops the clock at an instant; `advance` then moves it on by exact amounts. */
export function freezeClock(at: number): void {
  state = { frozenAt: at, offsetMs: 0 };
}

/** Moves the clock forward (frozen or running); time never goes back through this. */
export function advanceClock(ms: number): void {
  if (ms < 0) throw new RangeError('the clock only moves forward');
  state = state.frozenAt === null ? { ...state, offsetMs: state.offsetMs + ms } : { ...state, frozenAt: state.frozenAt + ms };
}

export function resetClock(): void {
  state = { frozenAt: null, offsetMs: 0 };
}
