import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sanitizeNoteContent } from '../../../../src/domain/notes/note-content.ts';
import { applyNoteInput } from '../../../../src/domain/notes/note-input.ts';
import { parseNoteSort } from '../../../../src/domain/notes/note-list-request.ts';

const blank = {
  content: '',
  person_id: null,
  org_id: null,
  deal_id: null,
  user_id: 1,
  add_time: '2024-01-01T00:00:00Z',
  pinned_to_person_flag: 0,
  pinned_to_organization_flag: 0,
  pinned_to_deal_flag: 0,
};

describe('note content', () => {
  it('keeps formatting and drops what runs', () => {
    assert.equal(sanitizeNoteContent('<p>a <b>b</b> <em>c</em></p><ul><li>d</li></ul>'), '<p>a <b>b</b> <em>c</em></p><ul><li>d</li></ul>');
    assert.equal(sanitizeNoteContent('<p onclick="x()">a<script>evil()</script></p>'), '<p>a</p>');
    assert.equal(sanitizeNoteContent('<a href="javascript:alert(1)">x</a>'), '<a rel="noopener noreferrer">x</a>');
    assert.equal(sanitizeNoteContent('<a href="JaVaScRiPt:alert(1)">x</a>'), '<a rel="noopener noreferrer">x</a>');
    assert.equal(sanitizeNoteContent('<img src="data:text/html;base64,PHNjcmlwdD4=" onerror="x()">'), '<img />');
    assert.equal(sanitizeNoteContent('<iframe src="https://e.example"></iframe><object></object>t'), 't');
    assert.equal(sanitizeNoteContent('<div style="background:url(javascript:x)">s</div>'), '<div>s</div>');
    assert.equal(sanitizeNoteContent('1 < 2 & 3 > 2'), '1 &lt; 2 &amp; 3 &gt; 2');
  });
});

describe('note input', () => {
  it('needs content and a link on create, and pins only what the note is attached to', () => {
    assert.throws(() => applyNoteInput(blank, { person_id: 1 }, true), /content is required/);
    assert.throws(() => applyNoteInput(blank, { content: 'x' }, true), /attached to/);
    assert.throws(() => applyNoteInput(blank, { content: 'x', person_id: 1, pinned_to_organization_flag: 1 }, true), /needs org_id/);
    assert.throws(() => applyNoteInput(blank, { content: 'x', person_id: 1, task_id: 3 }, true), /no leads, projects or tasks/);
    const values = applyNoteInput(blank, { content: 'x', person_id: 1, org_id: 2, pinned_to_organization_flag: 1, add_time: '2024-05-06 07:08:09' }, true);
    assert.deepEqual(values, { ...blank, content: 'x', person_id: 1, org_id: 2, pinned_to_organization_flag: 1, add_time: '2024-05-06T07:08:09Z' });
  });

  it('takes a removed link\'s pin with it on update', () => {
    const current = { ...blank, content: 'x', person_id: 1, org_id: 2, pinned_to_organization_flag: 1 };
    assert.deepEqual(applyNoteInput(current, { org_id: null }, false), { ...current, org_id: null, pinned_to_organization_flag: 0 });
    assert.throws(() => applyNoteInput(current, { org_id: null, person_id: null }, false), /attached to/);
  });
});

describe('note sort', () => {
  it('reads field and direction pairs and refuses other fields', () => {
    assert.deepEqual(parseNoteSort(undefined), [{ field: 'id', direction: 'asc' }]);
    assert.deepEqual(parseNoteSort('add_time DESC, id'), [{ field: 'add_time', direction: 'desc' }, { field: 'id', direction: 'asc' }]);
    assert.throws(() => parseNoteSort('title ASC'), /sort/);
    assert.throws(() => parseNoteSort('id sideways'), /sort/);
    assert.throws(() => parseNoteSort('id; drop table notes'), /sort/);
  });
});
