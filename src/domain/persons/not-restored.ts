/** Something an unmerge left as it found it, and why. */
export interface NotRestored {
  field: string;
  reason: string;
}
