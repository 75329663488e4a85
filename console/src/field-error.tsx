/** A validation message from the API, shown under the control it concerns (which points at it by aria-describedby). */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return <p class="field-error" id={id} role="alert">{message}</p>;
}
