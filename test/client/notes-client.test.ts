import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v1, v2 } from 'pipedrive';
import { clientError, officialClient, officialClientSuite } from '../helpers/client.ts';
import { newTenant, testBackends } from '../helpers/server.ts';

for (const backend of testBackends()) {
  describe(`official client: v1 NotesApi [${backend.name}]`, () => {
    const suite = officialClientSuite(backend);

    it('adds, lists with filters, reads, updates and deletes notes', async () => {
      const tenant = await newTenant(suite.server);
      const client = officialClient(suite.server, tenant.token);
      const notes = new v1.NotesApi(client.v1);
      const { data: person } = await new v2.PersonsApi(client.v2).addPerson({ AddPersonRequest: { name: 'Jane' } });

      const added = await notes.addNote({ AddNoteRequest: { content: '<p>Hi<script>x()</script></p>', person_id: person!.id, pinned_to_person_flag: 1 } });
      assert.equal(suite.traffic.last().path, '/v1/notes');
      assert.equal(added.data!.content, '<p>Hi</p>');
      assert.equal(added.data!.person_id, person!.id);
      assert.equal(added.data!.pinned_to_person_flag, true);
      assert.equal(added.data!.person!.name, 'Jane');
      const other = await notes.addNote({ AddNoteRequest: { content: 'second', person_id: person!.id } });

      const pinned = await notes.getNotes({ person_id: person!.id, pinned_to_person_flag: 1, sort: 'add_time DESC', start: 0, limit: 10 });
      assert.equal(suite.traffic.last().query.get('pinned_to_person_flag'), '1');
      assert.deepEqual(pinned.data!.map((n) => n.id), [added.data!.id]);
      const page = await notes.getNotes({ person_id: person!.id, limit: 1 });
      assert.deepEqual(page.data!.map((n) => n.id), [added.data!.id]);
      assert.equal(page.additional_data!.pagination!.more_items_in_collection, true);
      assert.equal(page.additional_data!.pagination!.next_start, 1);

      assert.equal((await notes.getNote({ id: other.data!.id! })).data!.content, 'second');
      const updated = await notes.updateNote({ id: other.data!.id!, NoteRequest: { content: '<i>edited</i>' } });
      assert.equal(suite.traffic.last().method, 'PUT');
      assert.equal(updated.data!.content, '<i>edited</i>');
      const deleted = await notes.deleteNote({ id: other.data!.id! });
      assert.equal(deleted.data, true);
      const missing = await clientError(notes.getNote({ id: other.data!.id! }));
      assert.equal(suite.traffic.last().status, 404);
      assert.match(missing.error, /Note not found/);

      const refused = await clientError(notes.addNote({ AddNoteRequest: { content: 'nowhere' } }));
      assert.equal(suite.traffic.last().status, 400);
      assert.match(refused.error, /attached to a person_id, org_id or deal_id/);
    });
  });
}
