import type autocannon from 'autocannon';

/** The two saved filters the `filter` scenario lists through. */
export interface BenchFilters {
  /** owner_id = the seeded admin and add_time this year or earlier: an indexed column, most rows match. */
  indexed: number;
  /** A varchar custom field that is empty: read out of the custom_fields JSON of every row the page passes. */
  custom: number;
}

const FIELD_NAME = 'Bench segment';

/** Finds or makes the custom field, then saves the two filters (a handful of requests per run). */
export async function prepareFilters(url: string, headers: Record<string, string>, userId: number): Promise<BenchFilters> {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, { method, headers: { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const parsed = (await res.json()) as { success: boolean; data: any };
    if (!res.ok) throw new Error(`${method} ${path} failed: ${res.status} ${JSON.stringify(parsed)}`);
    return parsed.data;
  };
  const fields = (await call('GET', '/v1/personFields?limit=500')) as { id: number; key: string; name: string }[];
  let field = fields.find((f) => f.name === FIELD_NAME);
  if (!field) {
    await call('POST', '/api/v2/personFields', { field_name: FIELD_NAME, field_type: 'varchar' });
    field = ((await call('GET', '/v1/personFields?limit=500')) as typeof fields).find((f) => f.name === FIELD_NAME)!;
  }
  const byId = Object.fromEntries(fields.map((f) => [f.key, String(f.id)]));
  const tree = (conditions: unknown[]) => ({ glue: 'and', conditions: [{ glue: 'and', conditions }, { glue: 'or', conditions: [] }] });
  const line = (field_id: string, operator: string, value: string | null) => ({ object: 'person', field_id, operator, value, extra_value: null });
  const indexed = await call('POST', '/v1/filters', { name: 'bench indexed', type: 'people', conditions: tree([line(byId.owner_id, '=', String(userId)), line(byId.add_time, '<=', 'this_year')]) });
  const custom = await call('POST', '/v1/filters', { name: 'bench custom', type: 'people', conditions: tree([line(String(field.id), 'IS NULL', null)]) });
  return { indexed: indexed.id, custom: custom.id };
}

/** First pages of 100 through either filter, alternately. */
export function filteredFirstPage(filters: BenchFilters): autocannon.Request {
  let n = 0;
  return {
    method: 'GET',
    setupRequest(request) {
      const id = n++ % 2 === 0 ? filters.indexed : filters.custom;
      request.path = `/api/v2/persons?filter_id=${id}&limit=100`;
      return request;
    },
  };
}
