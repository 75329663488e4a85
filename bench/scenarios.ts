import type autocannon from 'autocannon';
import { CursorCodec } from '../src/domain/cursor.ts';
import { type BenchFilters, filteredFirstPage } from './filters.ts';
import { type SeededTenant, seededIdentity } from './seed.ts';

export type ScenarioKey = 'get' | 'list' | 'create' | 'patch' | 'search' | 'mixed' | 'filter' | 'v1get' | 'v1list';

/** One load pattern against personsd; `ceiling` names the bare-server measurement its ratio is taken against. */
export interface Scenario {
  key: ScenarioKey;
  title: string;
  ceiling: 'person' | 'list';
  connections?: number;
  requests: autocannon.Request[];
}

const LIST_LIMIT = 100;
const CURSORS = 10_000;
const V1_START_SPAN = 10_000;

const randomId = (tenant: SeededTenant) => tenant.minId + Math.floor(Math.random() * (tenant.maxId - tenant.minId + 1));
const json = { 'content-type': 'application/json' };
let sequence = 0;

function getById(tenant: SeededTenant): autocannon.Request {
  return {
    method: 'GET',
    setupRequest(request) {
      request.path = `/api/v2/persons/${randomId(tenant)}`;
      return request;
    },
  };
}

/**
 * Pages of 100 starting at random places: cursors are minted with the database's cursor secret (the same codec the
 * server uses), so every request is a cursor continuation deep in the table rather than the cache-hot first page.
 */
function listPage(tenant: SeededTenant, cursorSecret: string): autocannon.Request {
  const codec = new CursorCodec(cursorSecret);
  const span = Math.max(1, tenant.maxId - tenant.minId - LIST_LIMIT);
  const paths = Array.from({ length: CURSORS }, () => {
    const after = tenant.minId + Math.floor(Math.random() * span);
    const cursor = codec.encode({ field: 'id', direction: 'asc', value: after, id: after });
    return `/api/v2/persons?limit=${LIST_LIMIT}&cursor=${cursor}`;
  });
  return {
    method: 'GET',
    setupRequest(request) {
      request.path = paths[Math.floor(Math.random() * paths.length)];
      return request;
    },
  };
}

/** What integrations built on the older client majors ask: a person in v1's shape, with its counts and related objects. */
function getByIdV1(tenant: SeededTenant): autocannon.Request {
  return {
    method: 'GET',
    setupRequest(request) {
      request.path = `/v1/persons/${randomId(tenant)}`;
      return request;
    },
  };
}

/**
 * v1 pages of 100 among the first V1_START_SPAN persons (all of them in a smaller tenant, so no page is empty), as
 * such an integration pages from the start: v1 pages by offset, so a page deep in the table also pays for every row
 * before it, which this leaves out.
 */
function listPageV1(tenant: SeededTenant): autocannon.Request {
  const pages = Math.max(1, Math.floor(Math.min(V1_START_SPAN, tenant.maxId - tenant.minId + 1) / LIST_LIMIT));
  return {
    method: 'GET',
    setupRequest(request) {
      request.path = `/v1/persons?start=${LIST_LIMIT * Math.floor(Math.random() * pages)}&limit=${LIST_LIMIT}`;
      return request;
    },
  };
}

function create(): autocannon.Request {
  return {
    method: 'POST',
    path: '/api/v2/persons',
    headers: json,
    setupRequest(request) {
      const n = ++sequence;
      request.body = JSON.stringify({
        name: `Bench Person ${process.pid}-${n}`,
        emails: [{ value: `bench.${process.pid}.${n}@example.com`, label: 'work', primary: true }],
        phones: [{ value: `+1 415 555 ${String(n % 10000).padStart(4, '0')}`, label: 'mobile' }],
        job_title: 'Engineer',
      });
      return request;
    },
  };
}

/** A typical edit: a new job title and a replaced phone list (so the contact lookup rows are rewritten too). */
function patch(tenant: SeededTenant): autocannon.Request {
  return {
    method: 'PATCH',
    headers: json,
    setupRequest(request) {
      const n = ++sequence;
      request.path = `/api/v2/persons/${randomId(tenant)}`;
      request.body = JSON.stringify({ job_title: `Title ${n}`, phones: [{ value: `+1 650 555 ${String(n % 10000).padStart(4, '0')}`, label: 'work' }] });
      return request;
    },
  };
}

/**
 * Searches as a client looks someone up: half by a seeded person's full email (one match), half by their name
 * (the number in it narrows the matches to a handful).
 */
function search(tenant: SeededTenant): autocannon.Request {
  const count = tenant.maxId - tenant.minId + 1;
  return {
    method: 'GET',
    setupRequest(request) {
      const { name, email } = seededIdentity(Math.floor(Math.random() * count));
      const term = Math.random() < 0.5 ? email : name;
      request.path = `/api/v2/persons/search?term=${encodeURIComponent(term)}&limit=${LIST_LIMIT}`;
      return request;
    },
  };
}

export function scenarios(tenant: SeededTenant, cursorSecret: string, options: { searchAvailable: boolean; mixedConnections: number; filters?: BenchFilters }): Scenario[] {
  const list: Scenario[] = [
    { key: 'get', title: 'GET /api/v2/persons/{random id}', ceiling: 'person', requests: [getById(tenant)] },
    { key: 'list', title: 'GET /api/v2/persons?limit=100&cursor=…', ceiling: 'list', requests: [listPage(tenant, cursorSecret)] },
    { key: 'create', title: 'POST /api/v2/persons', ceiling: 'person', requests: [create()] },
    { key: 'patch', title: 'PATCH /api/v2/persons/{random id}', ceiling: 'person', requests: [patch(tenant)] },
  ];
  list.push(
    { key: 'v1get', title: 'GET /v1/persons/{random id}', ceiling: 'person', requests: [getByIdV1(tenant)] },
    { key: 'v1list', title: 'GET /v1/persons?start=…&limit=100 (among the first 10,000)', ceiling: 'list', requests: [listPageV1(tenant)] },
  );
  if (options.filters) {
    list.push({ key: 'filter', title: 'GET /api/v2/persons?filter_id=…&limit=100 (indexed column / custom field, first page)', ceiling: 'list', requests: [filteredFirstPage(options.filters)] });
  }
  list.push({
    key: 'mixed',
    title: `mixed get/list/create/patch at ${options.mixedConnections} connections`,
    ceiling: 'person',
    connections: options.mixedConnections,
    requests: [getById(tenant), listPage(tenant, cursorSecret), create(), patch(tenant)],
  });
  // Last: requests autocannon gives up on (10 s) keep the database busy after the scenario ends.
  if (options.searchAvailable) list.push({ key: 'search', title: 'GET /api/v2/persons/search?term=…', ceiling: 'list', requests: [search(tenant)] });
  return list;
}
