import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PICTURE_SIZES, type PictureSize } from '../../domain/persons/picture-image.js';
import { pictureUrls, renderPictureV2 } from '../../domain/persons/picture-render.js';
import { requestOrigin } from '../../http/origin.js';
import { Envelope, IdParams, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';

const PictureUrls = Type.Object({ '128': Type.String(), '512': Type.String() });
const Picture = Type.Object({
  id: Type.Integer(),
  item_type: Type.String(),
  item_id: Type.Integer(),
  added_by_user_id: Type.Integer(),
  active_flag: Type.Boolean(),
  file_size: Type.Integer(),
  pictures: PictureUrls,
});
const ImageParams = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  size: Type.Unsafe<PictureSize>({ type: 'integer', enum: [...PICTURE_SIZES], description: '128 or 512' }),
});
const tags = ['Persons'];

export const personPictureRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { personPictures } = services;

  app.get('/persons/:id/picture', { config: { cost: 1, scopes: ['contacts:read', 'contacts:full'] }, schema: { tags, summary: 'Get picture of a person', params: IdParams, querystring: query({}), response: { 200: Envelope(Picture) } } }, async (req) => {
    const picture = await personPictures.get(req.actor, req.params.id);
    return { success: true, data: renderPictureV2(picture, pictureUrls(requestOrigin(req), req.params.id)) };
  });

  // personsd's own route: the image behind the URLs above. It needs a token like every route and is priced and scoped like the picture object.
  app.get(
    '/persons/:id/picture/:size',
    { config: { cost: 1, scopes: ['contacts:read', 'contacts:full'] }, schema: { tags, summary: "The person's picture as a square JPEG (personsd extension)", params: ImageParams, querystring: query({}), produces: ['image/jpeg'] } },
    async (req, reply) => {
      const { pictureId, jpeg } = await personPictures.image(req.actor, req.params.id, req.params.size);
      // A new upload gets a new picture id, so the tag changes exactly when the image does.
      const etag = `"${pictureId}-${req.params.size}"`;
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (req.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.type('image/jpeg').send(jpeg);
    },
  );
};
