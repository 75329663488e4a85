import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import type { Actor } from '../../../../src/domain/actor.ts';
import { type FilterFieldSources } from '../../../../src/domain/filters/filter-fields.ts';
import { FiltersService } from '../../../../src/domain/filters/filters.service.ts';
import type { Executor } from '../../../../src/store/executor.ts';
import type { Database } from '../../../../src/store/schema.ts';

/** Sources that count their reads and name each read's fields after it, so a remembered answer shows as an old name. */
function countingSources() {
  const reads: string[] = [];
  const source = (object: string) => async (_db: Executor, companyId: number) => {
    reads.push(`${companyId} ${object}`);
    return [{ id: '1', key: 'name', name: `read ${reads.length}`, kind: 'text' as const, target: { kind: 'column' as const, column: 'name', type: 'text' as const } }];
  };
  const sources: FilterFieldSources = { person: [source('person')], organization: [source('organization')], deal: [source('deal')], activity: [source('activity')] };
  return { reads, sources };
}

const outside = { isTransaction: false } as unknown as Kysely<Database>;
const inside = { isTransaction: true } as unknown as Executor;
const actor = (companyId: number): Actor => ({ companyId, userId: 1, isAdmin: true, arrivedAt: performance.now() }) as Actor;
const nameOf = async (service: FiltersService, who: Actor, db?: Executor) => (await service.fields(who, 'person', db)).find('name')?.name;

describe('filter fields remembered while the settings stamp stands', () => {
  it('reads each company and object once while the stamp stands, and again once it moves', async () => {
    const { reads, sources } = countingSources();
    let stamp = 'a';
    const service = new FiltersService(outside, () => stamp, sources);
    assert.equal(await nameOf(service, actor(1)), 'read 1');
    assert.equal(await nameOf(service, actor(1)), 'read 1');
    await service.fields(actor(1), 'organization');
    await service.fields(actor(2), 'organization');
    assert.deepEqual(reads, ['1 person', '1 organization', '2 organization']);
    stamp = 'b';
    assert.equal(await nameOf(service, actor(1)), 'read 4');
    assert.equal(reads.length, 4);
  });

  it('reads every time without a stamp, and inside a transaction', async () => {
    const { reads, sources } = countingSources();
    const unstamped = new FiltersService(outside, () => undefined, sources);
    await nameOf(unstamped, actor(1));
    await nameOf(unstamped, actor(1));
    assert.equal(reads.length, 2);
    const stamped = new FiltersService(outside, () => 'a', sources);
    assert.equal(await nameOf(stamped, actor(1)), 'read 3');
    assert.equal(await nameOf(stamped, actor(1), inside), 'read 4', 'a transaction reads for itself');
    assert.equal(await nameOf(stamped, actor(1)), 'read 3', 'and leaves what is remembered alone');
  });
});
