import { request as httpRequest, Agent } from 'node:http';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { HOSTILE_STRINGS, type Schema, type ValueHints, hostileLeaf, hostileString, mutatedValue, validValue } from './fuzz-values.ts';

/** One operation of /openapi.json, with its parameters and JSON body schema ($refs inlined). */
export interface FuzzOperation {
  method: string;
  path: string;
  params: { name: string; in: 'path' | 'query'; required: boolean; schema: Schema }[];
  body?: Schema;
  /** Content types the operation documents besides JSON (multipart for pictures). */
  consumes: string[];
}

/** Exactly what goes on the wire, so a failure can be replayed byte for byte. */
export interface FuzzRequest {
  method: string;
  /** Path and query, already percent-encoded (or deliberately not). */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation the service documents, except those `skip` names (by path prefix). */
export async function fuzzOperations(baseUrl: string, skip: (path: string) => boolean = () => false): Promise<FuzzOperation[]> {
  const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as any;
  const inline = (value: any, seen = 0): any => {
    if (Array.isArray(value)) return value.map((v) => inline(v, seen));
    if (value === null || typeof value !== 'object') return value;
    if (typeof value.$ref === 'string' && seen < 8) return inline(value.$ref.split('/').slice(1).reduce((node: any, key: string) => node?.[key], doc), seen + 1);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inline(v, seen)]));
  };
  const ops: FuzzOperation[] = [];
  for (const [path, methods] of Object.entries<any>(doc.paths)) {
    if (skip(path)) continue;
    for (const [method, operation] of Object.entries<any>(methods)) {
      if (!METHODS.includes(method)) continue;
      const op = inline(operation);
      ops.push({
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []).filter((p: any) => p.in === 'path' || p.in === 'query').map((p: any) => ({ name: p.name, in: p.in, required: !!p.required, schema: p.schema ?? {} })),
        body: op.requestBody?.content?.['application/json']?.schema,
        consumes: Object.keys(op.requestBody?.content ?? {}).filter((type) => type !== 'application/json'),
      });
    }
  }
  return ops;
}

/** Percent-encodes UTF-16 text as WTF-8, so lone surrogates reach the server as the bytes they are. */
export function encodeText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text[i] + text[i + 1]);
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(text[i]);
  }
  return out;
}

/** Text put in a URL as it is: broken escapes, encoded slashes and dots, a NUL, an empty segment. */
const RAW_SEGMENTS = ['%', '%zz', '%FF', '%C0%AF', '%00', '%2F', '..', '%2e%2e', '.', '', '%20', '+', '%ED%A0%80', '1%00', '1;a', '1,2'];

function knownPathValue(known: readonly (string | number)[]): fc.Arbitrary<string> {
  return known.length > 0 ? fc.constantFrom(...known).map((v) => encodeText(String(v))) : fc.constant('1');
}

/** The `{param}` values to try: a real record's most often, then missing, negative, huge and textual ones. */
export function pathValue(known: readonly (string | number)[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: knownPathValue(known), weight: 3 },
    { arbitrary: fc.constantFrom('0', '-1', '999999', '2147483647', '2147483648', '9007199254740993', '1e3', '1.5', '0x1', '01', ' 1', '1 ').map(encodeText), weight: 2 },
    { arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map(String), weight: 1 },
    { arbitrary: hostileString.filter((s) => s.length < 3000).map(encodeText), weight: 2 },
    { arbitrary: fc.constantFrom(...RAW_SEGMENTS), weight: 1 },
  );
}

/** A query value as text: from the schema or a known value, or (hostile) anything. */
function queryText(schema: Schema, hints: ValueHints, name: string, hostile: boolean): fc.Arbitrary<string> {
  const known = hints[name];
  const valid = validValue(schema, hints).map((v) => (typeof v === 'string' ? v : Array.isArray(v) ? v.join(',') : JSON.stringify(v)));
  const choices = [{ arbitrary: valid, weight: 4 }];
  if (hostile) choices.push({ arbitrary: hostileLeaf.map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')), weight: 6 });
  if (known && known.length > 0) choices.push({ arbitrary: fc.constantFrom(...known).map(String), weight: 3 });
  return fc.oneof(...choices);
}

/** Documented parameters with values from their schemas; hostile adds wrong values, repeats, unknown and prototype-named keys, broken escapes. */
function queryString(op: FuzzOperation, hints: ValueHints, hostile: boolean): fc.Arbitrary<string> {
  const documented = op.params.filter((p) => p.in === 'query' && p.name !== 'api_token');
  const known = documented.length > 0 ? fc.constantFrom(...documented).chain((p) => queryText(p.schema, hints, p.name, hostile).map((v) => `${encodeText(p.name)}=${encodeText(v)}`)) : fc.constant('');
  const pair = hostile
    ? fc.oneof(
        { arbitrary: known, weight: 6 },
        { arbitrary: fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', '__proto__[polluted]', 'constructor[prototype][polluted]', 'toString', 'hasOwnProperty', 'a[]', 'limit[]', 'api_token'), hostileString.filter((s) => s.length < 100)).map(([k, v]) => `${encodeText(k)}=${encodeText(v)}`), weight: 2 },
        { arbitrary: fc.tuple(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 })).map(([k, v]) => `${encodeText(k)}=${encodeText(v)}`), weight: 1 },
        { arbitrary: fc.constantFrom('=', '&', 'limit', 'limit=', '=1', 'limit=%', 'cursor=%FF', 'term=%ED%A0%80', 'term=%00', 'term=%'), weight: 1 },
      )
    : known;
  return fc.array(pair, { minLength: hostile ? 1 : 0, maxLength: hostile ? 5 : 3 }).map((list) => {
    const pairs = list.filter((p) => p !== '');
    // A valid query names each parameter once.
    const kept = hostile ? pairs : pairs.filter((p, i) => pairs.findIndex((q) => q.split('=')[0] === p.split('=')[0]) === i);
    return kept.length === 0 ? '' : `?${kept.join('&')}`;
  });
}

const CONTENT_TYPES = [
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json;;;',
  'application/merge-patch+json',
  'text/plain',
  'text/csv',
  'text/vcard',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=fuzz',
  'application/octet-stream',
  '*/*',
  '%%%',
  '',
];

/** Bodies no JSON parser should accept, or that stress it: truncation, garbage, BOM, broken UTF-8, duplicate keys, depth. */
const malformedBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom('', ' ', '{', '}', '[', '{"a":', '{"a" 1}', "{'a':1}", '{"a":1,}', '[1,]', 'NaN', 'undefined', '\u0000', '{"a":1}{"b":2}', '{"name":"x","name":"y"}', '{"__proto__":{"a":1},"__proto__":{}}', '\ufeff{}', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '{"a":1e999}', '{"a":-}', '{"a":0x10}', '{"a":01}').map((t) => Buffer.from(t)),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => Buffer.from('['.repeat(n) + ']'.repeat(n))),
  fc.integer({ min: 1_000, max: 100_000 }).map((n) => Buffer.from('{"name":"x","custom_fields":' + '{"a":'.repeat(n) + '1' + '}'.repeat(n) + '}')),
  fc.integer({ min: 1_000, max: 100_000 }).map((n) => Buffer.from('[' + '{"id":'.repeat(n) + '1' + '}'.repeat(n) + ']')),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), Buffer.from([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d])),
);

/** Files for the import and picture routes: CSV and vCard text with hostile cells, multipart forms with hostile parts. */
const fileBody: fc.Arbitrary<{ type: string; body: Buffer }> = fc.oneof(
  fc.array(fc.array(fc.tuple(fc.oneof(fc.constantFrom('name', 'email', 'phone', 'org_name', 'first_name', 'notes'), hostileString.filter((s) => s.length < 500)), fc.boolean()), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }).map((rows) => ({
    type: 'text/csv',
    body: Buffer.from(rows.map((r) => r.map(([cell, quoted]) => (quoted ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')).join('\n')),
  })),
  fc.array(hostileString.filter((s) => s.length < 500), { maxLength: 4 }).map((values) => ({
    type: 'text/vcard',
    body: Buffer.from(`BEGIN:VCARD\r\nVERSION:4.0\r\nFN:${values[0] ?? ''}\r\nEMAIL:${values[1] ?? ''}\r\nTEL:${values[2] ?? ''}\r\nN:${values[3] ?? ''};;;\r\nEND:VCARD\r\n`),
  })),
  fc.tuple(fc.constantFrom('file', 'crop_x', 'crop_width', '__proto__', 'constructor'), hostileString.filter((s) => s.length < 1000), fc.constantFrom('image/png', 'image/gif', 'text/plain', '')).map(([name, value, type]) => ({
    type: 'multipart/form-data; boundary=fuzzb',
    body: Buffer.from(`--fuzzb\r\nContent-Disposition: form-data; name="${name}"${name === 'file' ? '; filename="a.png"' : ''}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n${value}\r\n--fuzzb--\r\n`),
  })),
);

/** JSON text, written so `__proto__` own keys survive (JSON.stringify writes them, object literals would not). */
const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');

type Body = { type?: string; body?: Buffer };

/** What a client following the document sends: the schema's JSON, a file for the import and picture routes, or nothing. */
function validBody(op: FuzzOperation, hints: ValueHints): fc.Arbitrary<Body> {
  if (op.consumes.length > 0 || op.path.endsWith('/import')) return fileBody;
  if (!op.body) return fc.constant({});
  return validValue(op.body, hints).map((value) => ({ type: 'application/json', body: json(value) }));
}

function hostileBody(op: FuzzOperation, hints: ValueHints): fc.Arbitrary<Body> {
  const valid = validValue(op.body, hints);
  const jsonType = fc.oneof({ arbitrary: fc.constant('application/json'), weight: 8 }, { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 1 });
  return fc.oneof(
    { arbitrary: fc.record({ type: jsonType, body: mutatedValue(valid).map(json) }), weight: op.body ? 10 : 3 },
    { arbitrary: fc.record({ type: jsonType, body: malformedBody }), weight: 3 },
    { arbitrary: fc.record({ type: fc.constantFrom(...CONTENT_TYPES), body: fc.oneof(valid.map(json), fc.string({ maxLength: 40 }).map((s) => Buffer.from(s)), fileBody.map((f) => f.body)) }), weight: 2 },
    { arbitrary: fc.constant({}), weight: 1 },
    { arbitrary: fc.constant({ type: 'application/json' }), weight: 1 },
    { arbitrary: fc.record({ type: fc.constant(undefined), body: valid.map(json) }), weight: 1 },
  );
}

/**
 * Seeded requests for one operation, with the caller's credentials and known ids. Most are valid but in one part
 * (path, query or body), so they get past the other checks to the rule or query that part can upset; some are
 * hostile throughout, and some fully valid.
 */
export function requestArbitrary(
  op: FuzzOperation,
  hints: ValueHints,
  headers: Record<string, string>,
  pathHints: (path: string, name: string) => readonly (string | number)[],
): fc.Arbitrary<FuzzRequest> {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const path = (hostile: boolean) =>
    fc.tuple(...names.map((name) => (hostile ? pathValue(pathHints(op.path, name)) : knownPathValue(pathHints(op.path, name))))).map((values) => {
      let i = 0;
      return op.path.replace(/\{[^}]+\}/g, () => values[i++]);
    });
  const parts = (p: boolean, q: boolean, b: boolean) => fc.record({ path: path(p), query: queryString(op, hints, q), body: b ? hostileBody(op, hints) : validBody(op, hints) });
  const hasPath = names.length > 0;
  const composed = fc.oneof(
    { arbitrary: parts(false, false, false), weight: 2 },
    ...(hasPath ? [{ arbitrary: parts(true, false, false), weight: 2 }] : []),
    { arbitrary: parts(false, true, false), weight: 2 },
    { arbitrary: parts(false, false, true), weight: 5 },
    { arbitrary: parts(true, true, true), weight: 1 },
  );
  return composed.map(({ path, query, body }) => {
    const all: Record<string, string> = { ...headers };
    if (body.type !== undefined) all['content-type'] = body.type;
    const req: FuzzRequest = { method: op.method, target: path + query, headers: all, body: body.body };
    // fast-check prints counterexamples with this; describeRequest gives the whole request.
    return Object.assign(req, { [fc.toStringMethod]: () => `${req.method} ${short(req.target)} (${all['content-type'] ?? 'no content type'}, ${req.body?.length ?? 'no'} body bytes)` });
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** Sends the request as it is (node:http: no URL normalisation, bodies on GET allowed). */
export function send(baseUrl: string, req: FuzzRequest, timeoutMs = 30_000): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = req.body.length;
    const outgoing = httpRequest({ agent, host: url.hostname, port: url.port, method: req.method, path: req.target, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

export function closeAgent(): void {
  agent.destroy();
}

const short = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…(${text.length} characters)` : text);

/** The request in a form to replay it: a small one inline, a large one written to a file whose path is given. */
export function describeRequest(baseUrl: string, req: FuzzRequest): string {
  const body = req.body === undefined ? undefined : req.body.equals(Buffer.from(req.body.toString('utf8'))) ? { utf8: req.body.toString('utf8') } : { base64: req.body.toString('base64') };
  const text = JSON.stringify({ method: req.method, url: baseUrl + req.target, headers: req.headers, body }, null, 1);
  if (text.length <= 2_000) return text;
  const file = join(mkdtempSync(join(tmpdir(), 'personsd-fuzz-')), 'request.json');
  writeFileSync(file, text);
  return `${text.slice(0, 1_000)}… (${text.length} characters; the whole request is in ${file})`;
}

export { HOSTILE_STRINGS };
