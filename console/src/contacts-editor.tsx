import { CONTACT_LABELS, type Contact } from './model.ts';
import { FieldError } from './field-error.tsx';

type Kind = 'emails' | 'phones' | 'im';
const TITLES: Record<Kind, [string, string]> = { emails: ['E-mails', 'E-mail'], phones: ['Phones', 'Phone'], im: ['Instant messengers', 'Handle'] };

/** Editable e-mails, phones or IM handles: value, label and which one is primary; errors shown at the row they name. */
export function ContactsEditor({ kind, value, onChange, errors }: { kind: Kind; value: Contact[]; onChange: (next: Contact[]) => void; errors: Record<string, string> }) {
  const [title, one] = TITLES[kind];
  const set = (index: number, patch: Partial<Contact>) =>
    onChange(value.map((c, i) => (i === index ? { ...c, ...patch } : patch.primary ? { ...c, primary: false } : c)));
  return (
    <fieldset class="contacts">
      <legend>{title}</legend>
      {value.map((contact, index) => {
        const id = `${kind}-${index}`;
        const error = errors[`${kind}.${index}`];
        return (
          <div class="contact-row" key={index}>
            <label class="grow">
              {one} {index + 1}
              <input
                id={id}
                type={kind === 'emails' ? 'text' : kind === 'phones' ? 'tel' : 'text'}
                inputMode={kind === 'emails' ? 'email' : undefined}
                value={contact.value}
                aria-invalid={error ? 'true' : undefined}
                aria-describedby={error ? `${id}-error` : undefined}
                onInput={(e) => set(index, { value: (e.target as HTMLInputElement).value })}
              />
            </label>
            <label>
              Label
              <select value={contact.label} onChange={(e) => set(index, { label: (e.target as HTMLSelectElement).value })}>
                {CONTACT_LABELS[kind].map((label) => <option value={label}>{label}</option>)}
              </select>
            </label>
            <label class="inline">
              <input type="radio" name={`${kind}-primary`} checked={contact.primary} onChange={() => set(index, { primary: true })} /> Primary
            </label>
            <button type="button" class="quiet" aria-label={`Remove ${one.toLowerCase()} ${index + 1}`} onClick={() => onChange(value.filter((_, i) => i !== index))}>Remove</button>
            <FieldError id={`${id}-error`} message={error} />
          </div>
        );
      })}
      <FieldError id={`${kind}-error`} message={errors[kind]} />
      <button type="button" class="quiet" onClick={() => onChange([...value, { value: '', label: CONTACT_LABELS[kind][0], primary: value.length === 0 }])}>
        Add {one.toLowerCase()}
      </button>
    </fieldset>
  );
}
