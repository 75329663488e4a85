/*
 * Write turns for the processes of `serve --workers N` on one SQLite file. SQLite lets one connection write at a
 * time; a process whose BEGIN IMMEDIATE meets another's write lock sleeps in SQLite's busy handler (1, 2, 5, 10 ms
 * and longer) with its event loop blocked, serving nothing. Measured with two workers creating persons at 1,000,000
 * persons: each worker spent 4.2 s of 10 blocked there, and creates ran at half the rate of one process
 * (docs/benchmarks.md). So the primary hands out the right to begin a write transaction, one process at a time, first
 * come first served; a worker waits for its turn as a promise, serving reads meanwhile, and gives the turn back when
 * its transaction ends. Writers outside the workers (CLI commands, the FTS merge thread) still meet SQLite's own lock,
 * as before.
 */

/** A process's side: `take` resolves once this process may begin a write transaction; `give` ends its turn. */
export interface WriteTurns {
  take(): Promise<void>;
  give(): void;
}

/** What a worker and the primary send each other over node:cluster's channel. */
export interface WriteTurnMessage {
  personsdWriteTurn: 'take' | 'give' | 'granted';
}

export function isWriteTurnMessage(message: unknown): message is WriteTurnMessage {
  const turn = (message as Partial<WriteTurnMessage> | null)?.personsdWriteTurn;
  return turn === 'take' || turn === 'give' || turn === 'granted';
}

/**
 * The primary's queue: one holder at a time, the others in the order they asked. `grant` tells a process its turn
 * has come. A process that dies holding or awaiting a turn is forgotten, so it cannot stall the others.
 */
export class WriteTurnQueue<P> {
  #holder: P | undefined;
  #waiting: P[] = [];

  constructor(private readonly grant: (to: P) => void) {}

  take(from: P): void {
    if (this.#holder === from || this.#waiting.includes(from)) return;
    if (this.#holder === undefined) this.#handTo(from);
    else this.#waiting.push(from);
  }

  give(from: P): void {
    if (this.#holder === from) this.#handTo(this.#waiting.shift());
  }

  forget(who: P): void {
    this.#waiting = this.#waiting.filter((waiting) => waiting !== who);
    this.give(who);
  }

  get holder(): P | undefined {
    return this.#holder;
  }

  #handTo(next: P | undefined): void {
    this.#holder = next;
    if (next !== undefined) this.grant(next);
  }
}

export class WriteTurnTimeout extends Error {
  // The code SQLite gives a lock it waited for in vain: the HTTP layer answers it as it answers SQLite's (503).
  readonly code = 'SQLITE_BUSY';
}

interface Channel {
  send(message: WriteTurnMessage): void;
  onMessage(listener: (message: unknown) => void): void;
}

/**
 * A process's turns, asked of the primary over `channel`: one request out at a time, the process's own askers served in
 * their order (a driver asks again only after its turn ended, but a second store in the process would ask too). A turn
 * not granted within `timeoutMs` fails as SQLite's busy timeout would; a grant nobody waits for any more is given back.
 */
export function writeTurnsOver(channel: Channel, timeoutMs: number): WriteTurns {
  const waiting: { resolve: () => void; timer: NodeJS.Timeout }[] = [];
  let asked = false;
  let holding = false;
  const askIfWaiting = () => {
    if (asked || holding || waiting.length === 0) return;
    asked = true;
    channel.send({ personsdWriteTurn: 'take' });
  };
  channel.onMessage((message) => {
    if (!isWriteTurnMessage(message) || message.personsdWriteTurn !== 'granted') return;
    asked = false;
    const next = waiting.shift();
    if (next === undefined) return channel.send({ personsdWriteTurn: 'give' });
    holding = true;
    clearTimeout(next.timer);
    next.resolve();
  });
  return {
    take() {
      return new Promise<void>((resolve, reject) => {
        const entry = {
          resolve,
          timer: setTimeout(() => {
            waiting.splice(waiting.indexOf(entry), 1);
            reject(new WriteTurnTimeout(`no turn to write came within ${timeoutMs} ms: other processes kept the database busy`));
          }, timeoutMs),
        };
        waiting.push(entry);
        askIfWaiting();
      });
    },
    give() {
      holding = false;
      channel.send({ personsdWriteTurn: 'give' });
      askIfWaiting();
    },
  };
}

let fromPrimary: WriteTurns | undefined;

/** This worker process's turns, asked of the `serve --workers N` primary that forked it; one channel a process. */
export function writeTurnsFromPrimary(timeoutMs: number): WriteTurns {
  fromPrimary ??= writeTurnsOver(
    {
      // A closed channel (the primary gone) is reported here rather than thrown as an 'error' event: a take then
      // times out as busy, and a give has no one left to tell.
      send: (message) => process.send?.(message, undefined, undefined, () => undefined),
      onMessage: (listener) => process.on('message', listener),
    },
    timeoutMs,
  );
  return fromPrimary;
}
