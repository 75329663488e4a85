import type { PictureMeta } from '../../store/repositories/person-pictures.repository.js';
import { toV1Time } from '../time.js';
import { PICTURE_SIZES } from './picture-image.js';

export type PictureUrls = Record<'128' | '512', string>;

/** Where this service serves a person's picture (`GET /api/v2/persons/{id}/picture/{size}`), under the given origin. */
export function pictureUrls(origin: string, personId: number): PictureUrls {
  const [small, large] = PICTURE_SIZES.map((size) => `${origin}/api/v2/persons/${personId}/picture/${size}`);
  return { '128': small, '512': large };
}

/** v1's picture object (upload response, merge response's picture_id). */
export function renderPictureV1(picture: PictureMeta, urls: PictureUrls) {
  return {
    id: picture.id,
    item_type: 'person',
    item_id: picture.person_id,
    active_flag: true,
    add_time: toV1Time(picture.add_time) as string,
    update_time: toV1Time(picture.update_time) as string,
    added_by_user_id: picture.added_by_user_id,
    pictures: urls,
  };
}

/** v2's `GET /persons/{id}/picture` object. */
export function renderPictureV2(picture: PictureMeta, urls: PictureUrls) {
  return {
    id: picture.id,
    item_type: 'person',
    item_id: picture.person_id,
    added_by_user_id: picture.added_by_user_id,
    active_flag: true,
    file_size: picture.file_size,
    pictures: urls,
  };
}
