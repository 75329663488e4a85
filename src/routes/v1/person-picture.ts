import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { DomainError, invalid } from '../../domain/errors.js';
import { MAX_PICTURE_BYTES, cropFromFields } from '../../domain/persons/picture-image.js';
import { pictureUrls, renderPictureV1 } from '../../domain/persons/picture-render.js';
import { requestOrigin } from '../../http/origin.js';
import { Envelope, IdParams, query } from '../../http/schemas.js';
import type { Services } from '../../app/services.js';

const Picture = Type.Object({
  id: Type.Integer(),
  item_type: Type.String(),
  item_id: Type.Integer(),
  active_flag: Type.Boolean(),
  add_time: Type.String(),
  update_time: Type.String(),
  added_by_user_id: Type.Integer(),
  pictures: Type.Object({ '128': Type.String(), '512': Type.String() }),
});
const FORM_FIELDS = new Set(['crop_x', 'crop_y', 'crop_width', 'crop_height']);
const tags = ['Persons'];

export const personPictureV1Routes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const { personPictures } = services;
  // Registered here only, so no other route accepts multipart bodies.
  await app.register(multipart, { limits: { fileSize: MAX_PICTURE_BYTES, files: 1, fields: FORM_FIELDS.size, parts: FORM_FIELDS.size + 1 } });

  app.post(
    '/persons/:id/picture',
    {
      config: { cost: 10, scopes: ['contacts:full'] },
      schema: {
        tags,
        summary: `Add person picture (multipart/form-data: file, crop_x, crop_y, crop_width, crop_height; GIF, JPEG or PNG up to ${MAX_PICTURE_BYTES / 1024 / 1024} MiB)`,
        consumes: ['multipart/form-data'],
        params: IdParams,
        querystring: query({}),
        response: { 200: Envelope(Picture) },
      },
    },
    async (req) => {
      const form = await readPictureForm(req);
      const picture = await personPictures.upload(req.actor, req.params.id, form.file, cropFromFields(form.fields));
      return { success: true, data: renderPictureV1(picture, pictureUrls(requestOrigin(req), req.params.id)) };
    },
  );

  app.delete('/persons/:id/picture', { config: { cost: 6, scopes: ['contacts:full'] }, schema: { tags, summary: 'Delete person picture', params: IdParams, querystring: query({}), response: { 200: Envelope(Type.Object({ id: Type.Integer() })) } } }, async (req) => {
    return { success: true, data: await personPictures.remove(req.actor, req.params.id) };
  });
};

/** The upload form: exactly one file part named `file`, and the crop fields. */
async function readPictureForm(req: FastifyRequest): Promise<{ file: Buffer; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw invalid('the picture must be sent as multipart/form-data with the image in a part named "file"');
  let file: Buffer | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw invalid(`unknown file part "${part.fieldname}"; send the image as "file"`);
        file = await part.toBuffer();
      } else {
        if (!FORM_FIELDS.has(part.fieldname)) throw invalid(`unknown form field "${part.fieldname}"`);
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw Object.assign(new Error(`file is larger than ${MAX_PICTURE_BYTES} bytes (${MAX_PICTURE_BYTES / 1024 / 1024} MiB), the largest picture accepted`), { statusCode: 413 });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (error instanceof DomainError || (status !== undefined && status < 500)) throw error;
    // The multipart parser's own errors (a truncated or malformed body) are the client's, not a server failure.
    throw invalid(`the multipart body is malformed: ${(error as Error).message}`);
  }
  if (!file || file.length === 0) throw invalid('file is required: send the image in a multipart part named "file"');
  return { file, fields };
}
