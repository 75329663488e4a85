import { useState } from 'preact/hooks';
import { ApiError, api } from './api.ts';
import { ContactsEditor } from './contacts-editor.tsx';
import { CustomFieldInput } from './custom-field-input.tsx';
import { FieldError } from './field-error.tsx';
import { fieldOfError } from './field-errors.ts';
import { type Person, type Reference, VISIBILITY, customFields, labelsField } from './model.ts';

const FIELDS = ['name', 'first_name', 'last_name', 'owner_id', 'org_id', 'emails', 'phones', 'im', 'visible_to', 'label_ids', 'postal_address', 'notes', 'birthday', 'job_title', 'custom_fields'];

type Draft = Omit<Person, 'id' | 'add_time' | 'update_time'>;

const blank = (ownerId: number): Draft => ({
  name: '', first_name: null, last_name: null, owner_id: ownerId, org_id: null, emails: [], phones: [], im: [], visible_to: 3,
  label_ids: [], custom_fields: {}, postal_address: null, notes: null, birthday: null, job_title: null,
});

/** The body to send: on create every value given, on edit only what changed (so the name rule sees what was meant). */
function bodyOf(draft: Draft, original: Draft | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const clean = { ...draft, emails: draft.emails.filter((c) => c.value.trim() !== ''), phones: draft.phones.filter((c) => c.value.trim() !== ''), im: draft.im.filter((c) => c.value.trim() !== '') };
  for (const key of FIELDS) {
    const value = (clean as unknown as Record<string, unknown>)[key];
    if (key === 'custom_fields') {
      const changed = Object.fromEntries(Object.entries(clean.custom_fields).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(original?.custom_fields[k] ?? null)));
      if (Object.keys(changed).length > 0) body.custom_fields = changed;
      continue;
    }
    if (original ? JSON.stringify(value) !== JSON.stringify((original as unknown as Record<string, unknown>)[key]) : value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)) body[key] = value;
  }
  return body;
}

export function PersonForm({ person, reference, ownerId, onSaved, onCancel }: { person?: Person; reference: Reference; ownerId: number; onSaved: (p: Person) => void; onCancel: () => void }) {
  const original: Draft | undefined = person && { ...person };
  const [draft, setDraft] = useState<Draft>(original ? structuredClone(original) : blank(ownerId));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const customs = customFields(reference);
  const labels = labelsField(reference)?.options ?? [];

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setFormError('');
    try {
      const body = bodyOf(draft, original);
      const saved = person ? await api<Person>('PATCH', `/api/v2/persons/${person.id}`, body) : await api<Person>('POST', '/api/v2/persons', body);
      onSaved(saved.data);
    } catch (caught) {
      if (!(caught instanceof ApiError)) return setFormError('personsd could not be reached');
      const field = fieldOfError(caught.message, FIELDS, Object.fromEntries(customs.map((f) => [f.field_code, f.field_name])));
      if (field) {
        setErrors({ [field]: caught.message });
        requestAnimationFrame(() => document.getElementById(inputIdOf(field))?.focus());
      } else setFormError(caught.message);
    } finally {
      setBusy(false);
    }
  };

  const text = (key: 'name' | 'first_name' | 'last_name' | 'job_title' | 'birthday', label: string, type = 'text') => (
    <div class="field">
      <label for={key}>{label}</label>
      <input id={key} type={type} value={draft[key] ?? ''} aria-invalid={errors[key] ? 'true' : undefined} aria-describedby={errors[key] ? `${key}-error` : undefined} required={key === 'name' && !person} onInput={(e) => set({ [key]: (e.target as HTMLInputElement).value || null } as Partial<Draft>)} />
      <FieldError id={`${key}-error`} message={errors[key]} />
    </div>
  );

  return (
    <form class="person-form" onSubmit={submit} noValidate aria-label={person ? `Edit ${person.name}` : 'New person'}>
      {formError && <p class="error" role="alert">{formError}</p>}
      <div class="grid">
        {text('name', 'Name')}
        {text('first_name', 'First name')}
        {text('last_name', 'Last name')}
        {text('job_title', 'Job title')}
        <div class="field">
          <label for="org_id">Organization</label>
          <select id="org_id" value={draft.org_id ?? ''} onChange={(e) => set({ org_id: Number((e.target as HTMLSelectElement).value) || null })}>
            <option value="">None</option>
            {reference.organizations.map((o) => <option value={o.id}>{o.name}</option>)}
          </select>
          <FieldError id="org_id-error" message={errors.org_id} />
        </div>
        <div class="field">
          <label for="owner_id">Owner</label>
          <select id="owner_id" value={draft.owner_id ?? ''} onChange={(e) => set({ owner_id: Number((e.target as HTMLSelectElement).value) })}>
            {reference.users.map((u) => <option value={u.id}>{u.name}</option>)}
          </select>
          <FieldError id="owner_id-error" message={errors.owner_id} />
        </div>
        <div class="field">
          <label for="visible_to">Visible to</label>
          <select id="visible_to" value={draft.visible_to} onChange={(e) => set({ visible_to: Number((e.target as HTMLSelectElement).value) })}>
            {Object.entries(VISIBILITY).map(([value, label]) => <option value={value}>{label}</option>)}
          </select>
          <FieldError id="visible_to-error" message={errors.visible_to} />
        </div>
        {text('birthday', 'Birthday', 'date')}
      </div>
      <ContactsEditor kind="emails" value={draft.emails} onChange={(emails) => set({ emails })} errors={errors} />
      <ContactsEditor kind="phones" value={draft.phones} onChange={(phones) => set({ phones })} errors={errors} />
      <ContactsEditor kind="im" value={draft.im} onChange={(im) => set({ im })} errors={errors} />
      {labels.length > 0 && (
        <fieldset>
          <legend>Labels</legend>
          {labels.map((o) => (
            <label class="inline">
              <input type="checkbox" checked={draft.label_ids.includes(o.id)} onChange={(e) => set({ label_ids: (e.target as HTMLInputElement).checked ? [...draft.label_ids, o.id] : draft.label_ids.filter((x) => x !== o.id) })} /> {o.label}
            </label>
          ))}
          <FieldError id="label_ids-error" message={errors.label_ids} />
        </fieldset>
      )}
      <div class="field">
        <label for="postal_address">Postal address</label>
        <input id="postal_address" type="text" value={draft.postal_address?.value ?? ''} onInput={(e) => { const v = (e.target as HTMLInputElement).value; set({ postal_address: v ? { ...(draft.postal_address ?? {}), value: v } : null }); }} />
        <FieldError id="postal_address-error" message={errors.postal_address} />
      </div>
      <div class="field">
        <label for="notes">Notes</label>
        <textarea id="notes" rows={3} value={draft.notes ?? ''} onInput={(e) => set({ notes: (e.target as HTMLTextAreaElement).value || null })} />
        <FieldError id="notes-error" message={errors.notes} />
      </div>
      {customs.length > 0 && (
        <fieldset>
          <legend>Custom fields</legend>
          <div class="grid">
            {customs.map((field) => (
              <div class="field">
                <label for={`cf-${field.field_code}`}>{field.field_name}</label>
                <CustomFieldInput field={field} value={draft.custom_fields[field.field_code]} error={errors[`custom_fields.${field.field_code}`]} onChange={(v) => set({ custom_fields: { ...draft.custom_fields, [field.field_code]: v } })} />
                <FieldError id={`cf-${field.field_code}-error`} message={errors[`custom_fields.${field.field_code}`]} />
              </div>
            ))}
          </div>
        </fieldset>
      )}
      <div class="actions">
        <button type="submit" disabled={busy}>{person ? 'Save' : 'Create person'}</button>
        <button type="button" class="quiet" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

/** The id of the control a field error belongs to, to move the focus there. */
function inputIdOf(field: string): string {
  const contact = /^(emails|phones|im)\.(\d+)$/.exec(field);
  if (contact) return `${contact[1]}-${contact[2]}`;
  if (field.startsWith('custom_fields.')) return `cf-${field.slice('custom_fields.'.length)}`;
  return field;
}
