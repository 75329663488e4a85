import type { NoteRow } from '../../store/repositories/notes.repository.js';
import { invalid } from '../errors.js';
import { parseTimestamp } from '../time.js';
import { MAX_NOTE_CONTENT, sanitizeNoteContent } from './note-content.js';

/** A note's body as v1 accepts it (POST and PUT); `null` detaches a link on PUT. */
export interface NoteInput {
  content?: string;
  person_id?: number | null;
  org_id?: number | null;
  deal_id?: number | null;
  lead_id?: string | null;
  project_id?: number | null;
  task_id?: number | null;
  user_id?: number;
  add_time?: string;
  pinned_to_person_flag?: number;
  pinned_to_organization_flag?: number;
  pinned_to_deal_flag?: number;
  pinned_to_lead_flag?: number;
  pinned_to_project_flag?: number;
  pinned_to_task_flag?: number;
}

/** The columns a note's input decides. */
export type NoteValues = Pick<
  NoteRow,
  'content' | 'person_id' | 'org_id' | 'deal_id' | 'user_id' | 'add_time' | 'pinned_to_person_flag' | 'pinned_to_organization_flag' | 'pinned_to_deal_flag'
>;

/** Each link and the pin flag that goes with it. */
export const NOTE_LINKS = [
  { id: 'person_id', flag: 'pinned_to_person_flag' },
  { id: 'org_id', flag: 'pinned_to_organization_flag' },
  { id: 'deal_id', flag: 'pinned_to_deal_flag' },
] as const;

/** Pipedrive's leads, projects and tasks, which personsd does not store. */
const UNSTORED_LINKS = [
  ['lead_id', 'pinned_to_lead_flag'],
  ['project_id', 'pinned_to_project_flag'],
  ['task_id', 'pinned_to_task_flag'],
] as const;

/**
 * Applies a POST (`creating`) or PUT body to a note's values: content sanitised (and not empty once defused),
 * at least one person, organization or deal, a pin only on a link the note has (a removed link takes its pin
 * with it). The links' existence and the author's are checked by the service, which reads the store.
 */
export function applyNoteInput(current: NoteValues, input: NoteInput, creating: boolean): NoteValues {
  for (const [link, flag] of UNSTORED_LINKS) {
    if ((input[link] !== undefined && input[link] !== null) || input[flag] === 1) {
      throw invalid(`${link}: personsd stores no leads, projects or tasks`, 'Attach the note to a person_id, org_id or deal_id.');
    }
  }
  const values = { ...current };
  if (input.content !== undefined) values.content = noteContent(input.content);
  else if (creating) throw invalid('content is required');
  for (const { id, flag } of NOTE_LINKS) {
    if (input[id] !== undefined) {
      values[id] = input[id];
      if (input[id] === null) values[flag] = 0;
    }
  }
  if (values.person_id === null && values.org_id === null && values.deal_id === null) {
    throw invalid('A note must be attached to a person_id, org_id or deal_id');
  }
  for (const { id, flag } of NOTE_LINKS) {
    const pin = input[flag];
    if (pin === undefined) continue;
    if (pin === 1 && values[id] === null) throw invalid(`${flag} needs ${id}: a note can only be pinned to what it is attached to`);
    values[flag] = pin;
  }
  if (input.user_id !== undefined) values.user_id = input.user_id;
  if (input.add_time !== undefined) {
    const time = parseTimestamp(input.add_time);
    if (time === null) throw invalid(`add_time: "${input.add_time}" is not a date and time`, 'Use YYYY-MM-DD HH:MM:SS (UTC).');
    values.add_time = time;
  }
  return values;
}

function noteContent(html: string): string {
  if (html.length > MAX_NOTE_CONTENT) throw invalid(`content may be at most ${MAX_NOTE_CONTENT} characters`);
  const content = sanitizeNoteContent(html);
  if (content.trim() === '') throw invalid('content is empty', 'A note needs some text once scripts and other unsafe HTML are removed.');
  return content;
}
