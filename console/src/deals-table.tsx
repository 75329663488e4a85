/** A deal as the console's tables show it (a v2 deal's fields it reads). */
export interface Deal {
  id: number;
  title: string;
  value: number;
  currency: string;
  status: string;
}

/** The deals of a person or an organization: title, value and status. */
export function DealsTable({ deals }: { deals: Deal[] | undefined }) {
  if (!deals) return <p role="status">Loading…</p>;
  if (deals.length === 0) return <p>No deals.</p>;
  return (
    <table class="list" aria-label="Deals">
      <thead><tr><th scope="col">Title</th><th scope="col">Value</th><th scope="col">Status</th></tr></thead>
      <tbody>{deals.map((d) => <tr key={d.id}><td>{d.title}</td><td>{d.value} {d.currency}</td><td>{d.status}</td></tr>)}</tbody>
    </table>
  );
}
