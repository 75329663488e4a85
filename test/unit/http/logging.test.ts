import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { lazyRequestLogger, loggerOptions } from '../../../src/http/logging.ts';
import { maskText, maskUrl } from '../../../src/http/secrets.ts';

describe('secrets in request URLs', () => {
  it('masks the values of secret parameters, encoded names too, and leaves the rest byte for byte', () => {
    assert.equal(maskUrl('/api/v2/persons?api_token=abc&limit=1'), '/api/v2/persons?api_token=***&limit=1');
    assert.equal(maskUrl('/v1/users/me?api%5Ftoken=abc'), '/v1/users/me?api%5Ftoken=***');
    assert.equal(maskUrl('/oauth/x?code=c1&client_secret=s&refresh_token=r&state=keep%20me'), '/oauth/x?code=***&client_secret=***&refresh_token=***&state=keep%20me');
    assert.equal(maskUrl('/persons?term=api_token'), '/persons?term=api_token');
    assert.equal(maskUrl('/persons'), '/persons');
  });

  it('masks them inside free text', () => {
    assert.equal(maskText('Route GET:/x?limit=2&api_token=abc not found'), 'Route GET:/x?limit=2&api_token=*** not found');
  });
});

describe('the logger', () => {
  const logged = (write: (log: pino.Logger) => void) => {
    const lines: string[] = [];
    const options = loggerOptions({ level: 'info', stream: { write: (line) => void lines.push(line) } }) as pino.LoggerOptions & { stream: pino.DestinationStream };
    write(pino(options, options.stream));
    return lines.join('');
  };

  it('masks credential headers, query and body values wherever a log call passes them', () => {
    const text = logged((log) => {
      log.info({ headers: { authorization: 'Bearer s1', 'x-api-token': 's2', accept: 'json' } }, 'headers');
      log.info({ request: { headers: { 'x-personsd-admin-token': 's3' }, body: { client_secret: 's4', http_auth_password: 's5' }, query: { api_token: 's6' } } });
      log.info({ body: { refresh_token: 's7', code: 's8' } });
    });
    for (const value of ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']) assert.ok(!text.includes(`"${value}"`) && !text.includes(` ${value}"`), value);
    assert.match(text, /"accept":"json"/);
  });

  it('masks secret parameters in messages and in errors', () => {
    const text = logged((log) => {
      log.warn('GET /x?api_token=s1 failed');
      log.error({ err: new Error('fetch /y?refresh_token=s2 failed') }, 'boom');
    });
    assert.ok(!text.includes('s1') && !text.includes('s2'), text);
    assert.match(text, /api_token=\*\*\*/);
  });
});

describe('the per-request logger', () => {
  const parentWith = (level: string, lines: string[]) => {
    const options = loggerOptions({ level, stream: { write: (line) => void lines.push(line) } }) as pino.LoggerOptions & { stream: pino.DestinationStream };
    return pino(options, options.stream);
  };

  it('writes what the child would, with the request id bound and secrets masked, and nothing below its level', () => {
    const lines: string[] = [];
    const parent = parentWith('warn', lines);
    let children = 0;
    const counting = Object.create(parent, { child: { value: (...args: Parameters<typeof parent.child>) => (children++, parent.child(...args)) } });
    const log = lazyRequestLogger(counting, { reqId: 'r-1' }, {});
    log.info('not written');
    log.debug({ x: 1 }, 'nor this');
    assert.equal(children, 0, 'no child made for lines below the level');
    assert.equal(log.level, 'warn');
    log.warn({ headers: { authorization: 'Bearer s1' } }, 'written');
    log.error(new Error('broke at /x?api_token=s2'));
    assert.equal(children, 1, 'one child, made on the first line written');
    assert.equal(lines.length, 2);
    const [warned, failed] = lines.map((line) => JSON.parse(line));
    assert.equal(warned.reqId, 'r-1');
    assert.equal(warned.msg, 'written');
    assert.equal(warned.headers.authorization, '***');
    assert.equal(failed.reqId, 'r-1');
    assert.ok(!lines.join('').includes('s2'));
  });

  it('hands a route with its own log options the child Fastify would make', () => {
    const parent = parentWith('warn', []);
    const log = lazyRequestLogger(parent, { reqId: 'r-2' }, { level: 'debug' });
    assert.equal(log.level, 'debug');
  });
});
