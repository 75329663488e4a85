import type { Kysely } from 'kysely';
import type { Executor } from '../../store/executor.js';
import * as pictures from '../../store/repositories/person-pictures.repository.js';
import type { PictureMeta } from '../../store/repositories/person-pictures.repository.js';
import { type PersonRow, findPerson, findPersonForUpdate, updatePersonReturning } from '../../store/repositories/persons.repository.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { notFound } from '../errors.js';
import { nowStored } from '../time.js';
import { type WriteListener, notifyWrite } from '../write-events.js';
import { type CropArea, type PictureSize, pictureSquares } from './picture-image.js';
import { viewerOf } from '../access/visibility.js';

/**
 * Person pictures, stored in the database so that every process of a deployment serves the same ones. Setting or
 * removing a picture is a write of the person (its picture_id), told to the person write listeners.
 */
export class PersonPicturesService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly personListeners: WriteListener<PersonRow>[],
  ) {}

  /** Replaces the person's picture. The image work happens before the transaction, so it holds no lock meanwhile. */
  async upload(actor: Actor, personId: number, file: Buffer, crop: CropArea | undefined): Promise<PictureMeta> {
    await livePerson(this.db, actor, personId);
    const squares = await pictureSquares(file, crop);
    return this.db.transaction().execute(async (trx) => {
      const before = await livePerson(trx, actor, personId, true);
      const now = nowStored();
      const id = await pictures.insertPicture(trx, {
        company_id: actor.companyId,
        person_id: personId,
        added_by_user_id: actor.userId,
        file_size: file.length,
        image_128: squares.image128,
        image_512: squares.image512,
        add_time: now,
        update_time: now,
      });
      await pictures.deletePersonPictures(trx, actor.companyId, personId, id);
      await this.setPictureId(trx, actor, before, id, now);
      return (await pictures.findPicture(trx, actor.companyId, id)) as PictureMeta;
    });
  }

  async get(actor: Actor, personId: number): Promise<PictureMeta> {
    const person = await livePerson(this.db, actor, personId);
    const picture = person.picture_id === null ? undefined : await pictures.findPicture(this.db, actor.companyId, person.picture_id);
    if (!picture) throw noPicture(personId);
    return picture;
  }

  /** One size of the current picture's JPEG bytes. */
  async image(actor: Actor, personId: number, size: PictureSize): Promise<{ pictureId: number; jpeg: Buffer }> {
    const person = await livePerson(this.db, actor, personId);
    const jpeg = person.picture_id === null ? undefined : await pictures.findPictureImage(this.db, actor.companyId, person.picture_id, size);
    if (!jpeg) throw noPicture(personId);
    return { pictureId: person.picture_id as number, jpeg };
  }

  async remove(actor: Actor, personId: number): Promise<{ id: number }> {
    return this.db.transaction().execute(async (trx) => {
      const before = await livePerson(trx, actor, personId, true);
      if (before.picture_id === null) throw noPicture(personId);
      await pictures.deletePersonPictures(trx, actor.companyId, personId);
      await this.setPictureId(trx, actor, before, null, nowStored());
      return { id: personId };
    });
  }

  private async setPictureId(trx: Executor, actor: Actor, before: PersonRow, pictureId: number | null, now: string): Promise<void> {
    const after = await updatePersonReturning(trx, actor.companyId, before.id, { picture_id: pictureId, update_time: now });
    await notifyWrite(this.personListeners, trx, { entity: 'person', action: 'change', actor, before, after });
  }
}

/** The live person the actor may see; `forUpdate` locks it until the transaction ends (read-modify-write). */
async function livePerson(db: Executor, actor: Actor, personId: number, forUpdate = false): Promise<PersonRow> {
  const find = forUpdate ? findPersonForUpdate : findPerson;
  const person = await find(db, actor.companyId, personId, await viewerOf(db, actor));
  if (!person) throw notFound('Person not found', `No person with id ${personId} exists in this company.`);
  return person;
}

function noPicture(personId: number) {
  return notFound('Picture not found', `Person ${personId} has no picture.`);
}
