import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyActivityInput, newActivityValues } from '../../../../src/domain/activities/activity-input.ts';

const NOW = '2026-01-02T03:04:05Z';
const blank = () => newActivityValues(7, '2026-01-02');
const apply = (input: Parameters<typeof applyActivityInput>[1], current = blank()) => applyActivityInput(current, input, NOW);

describe('activity input', () => {
  it('makes person_id the primary participant, whichever of the two is given', () => {
    assert.deepEqual(JSON.parse(apply({ person_id: 3 }).participants), [{ person_id: 3, primary: true }]);
    const listed = apply({ participants: [{ person_id: 4 }, { person_id: 5, primary_flag: true }] });
    assert.equal(listed.person_id, 5);
    assert.deepEqual(JSON.parse(listed.participants), [{ person_id: 4, primary: false }, { person_id: 5, primary: true }]);
    assert.equal(apply({ participants: [{ person_id: 4 }, { person_id: 5 }] }).person_id, 4, 'none primary: the first');
    const both = apply({ person_id: 6, participants: [{ person_id: 4, primary: true }] });
    assert.equal(both.person_id, 6);
    assert.deepEqual(JSON.parse(both.participants), [{ person_id: 6, primary: true }, { person_id: 4, primary: false }]);
    const cleared = apply({ person_id: null }, apply({ person_id: 3 }));
    assert.deepEqual([cleared.person_id, cleared.participants], [null, '[]']);
    assert.throws(() => apply({ participants: [{ person_id: 4 }, { person_id: 4 }] }), /twice/);
  });

  it('reads due times and durations as HH:MM, UTC, and refuses anything else', () => {
    assert.equal(apply({ due_time: '09:30' }).due_time, '09:30');
    assert.equal(apply({ due_time: '09:30:00' }).due_time, '09:30');
    assert.equal(apply({ due_time: '' }, apply({ due_time: '09:30' })).due_time, null);
    assert.equal(apply({ duration: '36:00' }).duration, '36:00', 'a duration may pass a day');
    for (const bad of ['9:30', '24:00', '09:60', '09:30:15', 'noon']) assert.throws(() => apply({ due_time: bad }), /due_time/, bad);
    assert.throws(() => apply({ due_date: '2026-02-29' }), /due_date/);
    assert.throws(() => apply({ due_date: null }), /due_date/);
  });

  it('stamps marked_as_done_time when done and clears it when undone', () => {
    const done = apply({ done: 1 });
    assert.deepEqual([done.done, done.marked_as_done_time], [1, NOW]);
    assert.equal(applyActivityInput(done, { done: true }, '2030-01-01T00:00:00Z').marked_as_done_time, NOW, 'done again keeps the first time');
    assert.equal(apply({ done: false }, done).marked_as_done_time, null);
  });

  it('keeps a location as its parts, a note sanitised, and refuses what personsd does not store', () => {
    assert.deepEqual(JSON.parse(apply({ location: 'Tallinn' }).location as string).value, 'Tallinn');
    assert.equal(apply({ location: { value: '  ' } }).location, null);
    assert.throws(() => apply({ location: { galaxy: 'x' } as never }), /location\.galaxy/);
    assert.equal(apply({ note: '<p>ok<script>bad()</script></p>' }).note, '<p>ok</p>');
    assert.equal(apply({ note: '<script>only()</script>' }).note, null);
    assert.throws(() => apply({ lead_id: 'abc' }), /leads/);
    assert.throws(() => apply({ priority: 99 }), /priority/);
    assert.throws(() => apply({ owner_id: 1, user_id: 2 }), /different users/);
  });
});
