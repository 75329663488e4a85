import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../domain/errors.js';
import type { Snapshots } from '../../store/snapshots/snapshots.js';
import { ADMIN_TAG } from './tag.js';

const Name = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'Letters, digits, - and _; at most 64' });
const NameParams = Type.Object({ name: Name });
const SnapshotEnvelope = Type.Object({ success: Type.Literal(true), data: Type.Object({ name: Type.String() }) });

/**
 * Snapshots of the whole database (every company), for test suites: take one after seeding, restore it before each
 * test. A restore puts back every row and the next ids; users, tokens and settings included.
 */
export const adminSnapshotsRoutes: FastifyPluginAsyncTypebox<{ snapshots: Snapshots }> = async (app, { snapshots }) => {
  app.post(
    '/snapshots',
    { schema: { tags: [ADMIN_TAG], summary: 'Take a snapshot of the whole database (replaces one of the same name)', body: Type.Object({ name: Name }, { additionalProperties: false }), response: { 201: SnapshotEnvelope } } },
    async (request, reply) => {
      await snapshots.take(request.body.name);
      return reply.status(201).send({ success: true, data: { name: request.body.name } });
    },
  );

  app.get('/snapshots', { schema: { tags: [ADMIN_TAG], summary: 'List snapshots', response: { 200: Type.Object({ success: Type.Literal(true), data: Type.Array(Type.Object({ name: Type.String() })) }) } } }, async () => ({
    success: true as const,
    data: (await snapshots.list()).map((name) => ({ name })),
  }));

  app.post(
    '/snapshots/:name/restore',
    { schema: { tags: [ADMIN_TAG], summary: 'Put the whole database back as the snapshot has it', params: NameParams, response: { 200: SnapshotEnvelope } } },
    async (request) => {
      if (!(await snapshots.restore(request.params.name))) throw snapshotNotFound(request.params.name);
      return { success: true as const, data: { name: request.params.name } };
    },
  );

  app.delete('/snapshots/:name', { schema: { tags: [ADMIN_TAG], summary: 'Delete a snapshot', params: NameParams, response: { 200: SnapshotEnvelope } } }, async (request) => {
    if (!(await snapshots.remove(request.params.name))) throw snapshotNotFound(request.params.name);
    return { success: true as const, data: { name: request.params.name } };
  });
};

const snapshotNotFound = (name: string) => notFound('Snapshot not found', `No snapshot named "${name}"; take one with POST /_personsd/snapshots.`);
