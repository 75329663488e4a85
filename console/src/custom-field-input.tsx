import type { PersonField } from './model.ts';

/** One custom field's control, by its type; types the console cannot edit yet are shown as their stored value. */
export function CustomFieldInput({ field, value, onChange, error }: { field: PersonField; value: unknown; onChange: (v: unknown) => void; error?: string }) {
  const id = `cf-${field.field_code}`;
  const common = { id, 'aria-invalid': error ? ('true' as const) : undefined, 'aria-describedby': error ? `${id}-error` : undefined };
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  switch (field.field_type) {
    case 'varchar':
    case 'varchar_auto':
    case 'phone':
      return <input {...common} type="text" value={text(value)} onInput={(e) => onChange((e.target as HTMLInputElement).value || null)} />;
    case 'text':
      return <textarea {...common} rows={3} value={text(value)} onInput={(e) => onChange((e.target as HTMLTextAreaElement).value || null)} />;
    case 'double':
    case 'int':
      return <input {...common} type="number" step="any" value={text(value)} onInput={(e) => { const t = (e.target as HTMLInputElement).value; onChange(t === '' ? null : Number(t)); }} />;
    case 'date':
      return <input {...common} type="date" value={text(value)} onInput={(e) => onChange((e.target as HTMLInputElement).value || null)} />;
    case 'time':
      return <input {...common} type="time" value={text(value).slice(0, 5)} onInput={(e) => onChange((e.target as HTMLInputElement).value || null)} />;
    case 'monetary': {
      const money = (value ?? {}) as { value?: number; currency?: string };
      return (
        <span class="money">
          <input {...common} type="number" step="any" aria-label={`${field.field_name} amount`} value={text(money.value)} onInput={(e) => { const t = (e.target as HTMLInputElement).value; onChange(t === '' ? null : { value: Number(t), currency: money.currency ?? 'USD' }); }} />
          <input type="text" aria-label={`${field.field_name} currency`} size={4} value={money.currency ?? 'USD'} onInput={(e) => onChange({ value: money.value ?? 0, currency: (e.target as HTMLInputElement).value })} />
        </span>
      );
    }
    case 'enum':
      return (
        <select {...common} value={text(value)} onChange={(e) => { const t = (e.target as HTMLSelectElement).value; onChange(t === '' ? null : Number(t)); }}>
          <option value="">—</option>
          {(field.options ?? []).map((o) => <option value={o.id}>{o.label}</option>)}
        </select>
      );
    case 'set': {
      const chosen = Array.isArray(value) ? (value as number[]) : [];
      return (
        <span class="checks" id={id} role="group" aria-label={field.field_name}>
          {(field.options ?? []).map((o) => (
            <label class="inline">
              <input type="checkbox" checked={chosen.includes(o.id)} onChange={(e) => onChange((e.target as HTMLInputElement).checked ? [...chosen, o.id] : chosen.filter((x) => x !== o.id))} /> {o.label}
            </label>
          ))}
        </span>
      );
    }
    default:
      return <output id={id}>{value === null || value === undefined ? '—' : JSON.stringify(value)}</output>;
  }
}

/** A custom field's value as text, for the person page. */
export function customValueText(field: PersonField, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const option = (id: unknown) => field.options?.find((o) => o.id === Number(id))?.label ?? String(id);
  if (field.field_type === 'enum') return option(value);
  if (field.field_type === 'set' && Array.isArray(value)) return value.map(option).join(', ') || '—';
  if (field.field_type === 'monetary' && typeof value === 'object') {
    const money = value as { value?: number; currency?: string };
    return `${money.value ?? ''} ${money.currency ?? ''}`.trim();
  }
  if (typeof value === 'object') return (value as { value?: string }).value ?? JSON.stringify(value);
  return String(value);
}
