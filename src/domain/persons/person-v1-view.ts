import type { Executor } from '../../store/executor.js';
import { findPictures } from '../../store/repositories/person-pictures.repository.js';
import type { PersonRow } from '../../store/repositories/persons.repository.js';
import { viewerOf } from '../access/visibility.js';
import type { Actor } from '../actor.js';
import type { FieldsOf } from '../person-fields/remembered-fields.js';
import { RelatedRefs, type RelatedObjects, loadRelatedObjects } from '../related-objects.js';
import { PERSON_COUNT_FIELDS, type PersonCounts } from './person-counts.js';
import { countPersonRelations } from './person-counts.js';
import { renderPersonV1 } from './person-render-v1.js';
import type { PictureUrls } from './picture-render.js';

/** What v1 person reads answer: the persons and the users and organizations they name, described once. */
export interface PersonsV1View {
  items: Record<string, unknown>[];
  related: Pick<RelatedObjects, 'user' | 'organization'>;
}

/**
 * Persons as v1 reads show them (GET /v1/persons, /v1/persons/{id} and the write answers): the v1 person of
 * `renderPersonV1` with `owner_id` and `org_id` as the embedded objects v1 reads carry (`value` is the id), plus
 * `related_objects`. Everything a page names is loaded in a fixed number of queries, whatever its size. An
 * organization the caller may not see stays linked by id (`{value}`) and is described nowhere.
 */
export async function personsV1View(
  db: Executor,
  actor: Actor,
  rows: readonly PersonRow[],
  urls: (personId: number) => PictureUrls,
  fieldsOf: FieldsOf,
): Promise<PersonsV1View> {
  const refs = new RelatedRefs();
  for (const row of rows) {
    refs.user(row.owner_id);
    refs.organization(row.org_id);
  }
  const pictureIds = rows.map((r) => r.picture_id).filter((id): id is number => id !== null);
  const [related, counts, pictures, fields] = await Promise.all([
    loadRelatedObjects(db, actor.companyId, refs, await viewerOf(db, actor)),
    countPersonRelations(db, actor, rows, new Set(PERSON_COUNT_FIELDS)),
    findPictures(db, actor.companyId, pictureIds),
    fieldsOf(db, actor),
  ]);
  const pictureById = new Map(pictures.map((p) => [p.id, p]));
  const items = rows.map((row) => {
    const owner = related.user[row.owner_id];
    const org = row.org_id === null ? undefined : related.organization[row.org_id];
    const person = renderPersonV1(
      row,
      {
        counts: counts.get(row.id) as PersonCounts,
        ownerName: owner?.name ?? null,
        orgName: org?.name ?? null,
        picture: row.picture_id === null ? null : (pictureById.get(row.picture_id) ?? null),
        fields,
      },
      urls(row.id),
    );
    person.owner_id = owner ? { ...owner, value: row.owner_id } : { value: row.owner_id };
    if (row.org_id !== null) {
      const { id: _id, ...described } = org ?? { id: row.org_id };
      person.org_id = { ...described, value: row.org_id };
    }
    return person;
  });
  return { items, related: { user: related.user, organization: related.organization } };
}
