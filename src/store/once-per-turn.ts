/**
 * Remembers what `read` answered until the event loop's current turn ends (the next check phase, where
 * `setImmediate` callbacks run), so the requests handled in one turn share one read.
 *
 * What this may miss: a change made elsewhere after the first read of the turn, seen by a request read in the same
 * turn. Those requests' bytes were on their sockets when the turn's poll began (libuv reads the sockets epoll
 * reported ready, and a client that waits for a response before sending its next request cannot have sent it), so
 * they arrived before the change was committed, as a request in flight when a change commits may be answered
 * either way.
 */
export function oncePerTurn<T>(read: () => T): () => T {
  let value: T;
  let fresh = false;
  const forget = () => {
    fresh = false;
  };
  return () => {
    if (!fresh) {
      value = read();
      fresh = true;
      setImmediate(forget);
    }
    return value;
  };
}
