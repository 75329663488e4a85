/**
 * Write transactions counted per turn of the event loop: the sign of load a synchronous driver can see. A process
 * handles each request's write within one I/O callback, so "another transaction is waiting" never happens; several
 * transactions begun in one turn, or in the turn before, mean requests are arriving faster than they are answered.
 */
export class WriteLoad {
  #thisTurn = 0;
  #lastTurn = 0;
  #rotating = false;

  count(): void {
    this.#thisTurn += 1;
    if (!this.#rotating) this.#rotate();
  }

  /** True when this turn has already begun another write transaction, or the last turn began two or more. */
  get busy(): boolean {
    return this.#thisTurn >= 2 || this.#lastTurn >= 2;
  }

  #rotate(): void {
    this.#rotating = true;
    setImmediate(() => {
      this.#lastTurn = this.#thisTurn;
      this.#thisTurn = 0;
      // One more turn after the last busy one, so a quiet turn clears the sign.
      if (this.#lastTurn > 0) this.#rotate();
      else this.#rotating = false;
    });
  }
}
