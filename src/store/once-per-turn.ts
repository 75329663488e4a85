/**
 * Remembers what `read` answered until the event loop's current turn ends (the next check phase, where
 * `setImmediate` callbacks run), so the requests handled in one turn share one read; and, with `version`, also
 * until `version()` answers something else (a change this process made itself, which must count at once).
 *
 * What this may miss: a change made elsewhere after the first read of the turn, seen by a request read in the same
 * turn. Those requests' bytes were on their sockets when the turn's poll began (libuv reads the sockets epoll
 * reported ready, and a client that waits for a response before sending its next request cannot have sent it), so
 * they arrived before the change was committed, as a request in flight when a change commits may be answered
 * either way. A read made in the check phase itself (after a `setImmediate` callback) is remembered until the next
 * iteration's check phase, through that iteration's timers and poll.
 */
export function oncePerTurn<T>(read: () => T, version: () => unknown = () => undefined): () => T {
  let value: T;
  let fresh = false;
  let readAt: unknown;
  const forget = () => {
    fresh = false;
  };
  return () => {
    const now = version();
    if (!fresh || readAt !== now) {
      value = read();
      readAt = now;
      if (!fresh) setImmediate(forget);
      fresh = true;
    }
    return value;
  };
}
