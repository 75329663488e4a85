import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, get } from './api.ts';
import { type Deal, DealsTable } from './deals-table.tsx';
import { type Reference, nameOf } from './model.ts';

interface Activity {
  id: number;
  subject: string;
  type: string;
  due_date: string;
  due_time: string | null;
  done: boolean;
  owner_id: number;
}

interface Note {
  id: number;
  content: string;
  user_id: number;
  add_time: string;
}

/**
 * A note's stored HTML (sanitised by personsd) shown as its text: parsed by a DOMParser, which runs no script and
 * loads nothing, so even HTML that slipped past the server could not act in the console.
 */
export function noteText(html: string): string {
  const body = new DOMParser().parseFromString(html, 'text/html').body;
  for (const br of body.querySelectorAll('br')) br.replaceWith('\n');
  for (const block of body.querySelectorAll('p, div, li')) block.append('\n');
  return (body.textContent ?? '').trim();
}

/** Plain text typed in the console as note HTML: escaped, line breaks kept. */
function textAsHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped.split(/\r?\n/).join('<br>');
}

/** The person's deals, activities (marked done here) and notes (added here), read and written through the API. */
export function PersonRelated({ personId, reference }: { personId: number; reference: Reference }) {
  const [deals, setDeals] = useState<Deal[]>();
  const [activities, setActivities] = useState<Activity[]>();
  const [notes, setNotes] = useState<Note[]>();
  const [error, setError] = useState('');
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const failed = (caught: unknown) => setError(caught instanceof ApiError ? caught.message : String(caught));

  useEffect(() => {
    get<Deal[]>(`/api/v2/deals?person_id=${personId}&limit=100`).then((e) => setDeals(e.data), failed);
    get<Activity[]>(`/api/v2/activities?person_id=${personId}&sort_by=due_date&limit=100`).then((e) => setActivities(e.data), failed);
    get<Note[] | null>(`/v1/notes?person_id=${personId}&sort=add_time DESC&limit=100`).then((e) => setNotes(e.data ?? []), failed);
  }, [personId, version]);

  // Shown at once; the list is read again once the API answered (or failed).
  const toggleDone = (activity: Activity) => {
    setActivities((list) => list?.map((a) => (a.id === activity.id ? { ...a, done: !a.done } : a)));
    api('PATCH', `/api/v2/activities/${activity.id}`, { done: !activity.done }).then(reload, (caught) => (failed(caught), reload()));
  };
  const addNote = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const text = String(new FormData(form).get('note') ?? '').trim();
    if (!text) return;
    try {
      await api('POST', '/v1/notes', { content: textAsHtml(text), person_id: personId });
      form.reset();
      setError('');
      reload();
    } catch (caught) {
      failed(caught);
    }
  };

  return (
    <>
      {error && <p class="error" role="alert">{error}</p>}
      <h2>Deals</h2>
      <DealsTable deals={deals} />
      <h2>Activities</h2>
      {!activities ? <p role="status">Loading…</p> : activities.length === 0 ? <p>No activities.</p> : (
        <table class="list" aria-label="Activities">
          <thead><tr><th scope="col">Done</th><th scope="col">Subject</th><th scope="col">Type</th><th scope="col">Due</th><th scope="col" class="wide">Assigned to</th></tr></thead>
          <tbody>
            {activities.map((a) => (
              <tr key={a.id}>
                <td><input type="checkbox" checked={a.done} aria-label={`${a.subject} done`} onChange={() => toggleDone(a)} /></td>
                <td>{a.subject}</td>
                <td>{a.type}</td>
                <td>{a.due_date}{a.due_time ? ` ${a.due_time.slice(0, 5)} UTC` : ''}</td>
                <td class="wide">{nameOf(reference.users, a.owner_id)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Notes</h2>
      <form class="note-form" onSubmit={addNote} aria-label="New note">
        <label class="grow">Note<textarea name="note" rows={3} required /></label>
        <button type="submit">Add note</button>
      </form>
      {!notes ? <p role="status">Loading…</p> : notes.length === 0 ? <p>No notes.</p> : (
        <ul class="notes" aria-label="Notes">
          {notes.map((n) => (
            <li key={n.id}>
              <p class="note-text">{noteText(n.content)}</p>
              <p class="hint">{nameOf(reference.users, n.user_id)}, {n.add_time.slice(0, 16)}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
