import { type Insertable, type Selectable, type Updateable, sql } from 'kysely';
import type { Executor } from '../executor.js';
import { type KeysetPage, keysetPage } from '../keyset.js';
import { lockedForShare, lockedForUpdate } from '../row-lock.js';
import type { PipelinesTable, StagesTable } from '../schema.js';

export type PipelineRow = Selectable<PipelinesTable>;
export type StageRow = Selectable<StagesTable>;
export type PipelineChanges = Updateable<PipelinesTable>;
export type StageChanges = Updateable<StagesTable>;

function livePipelines(db: Executor, companyId: number) {
  return db.selectFrom('pipelines').selectAll().where('company_id', '=', companyId).where('deleted_time', 'is', null);
}

function liveStages(db: Executor, companyId: number) {
  return db.selectFrom('stages').selectAll().where('company_id', '=', companyId).where('deleted_time', 'is', null);
}

export async function findPipeline(db: Executor, companyId: number, id: number): Promise<PipelineRow | undefined> {
  return livePipelines(db, companyId).where('id', '=', id).executeTakeFirst();
}

export async function findPipelineForUpdate(trx: Executor, companyId: number, id: number): Promise<PipelineRow | undefined> {
  return lockedForUpdate(trx, livePipelines(trx, companyId).where('id', '=', id)).executeTakeFirst();
}

/** The live pipeline, share-locked: a concurrent delete of it waits for this transaction (a stage moving in). */
export async function findPipelineForShare(trx: Executor, companyId: number, id: number): Promise<PipelineRow | undefined> {
  return lockedForShare(trx, livePipelines(trx, companyId).where('id', '=', id)).executeTakeFirst();
}

/** The company's live pipelines, lowest order_nr (the default) first. */
export async function listAllPipelines(db: Executor, companyId: number): Promise<PipelineRow[]> {
  return livePipelines(db, companyId).orderBy('order_nr').orderBy('id').execute();
}

export async function listPipelines(db: Executor, companyId: number, page: KeysetPage): Promise<PipelineRow[]> {
  return keysetPage(livePipelines(db, companyId), page).execute();
}

export async function insertPipeline(db: Executor, row: Insertable<PipelinesTable>): Promise<number> {
  return (await db.insertInto('pipelines').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updatePipeline(db: Executor, companyId: number, id: number, changes: PipelineChanges): Promise<void> {
  await db.updateTable('pipelines').set(changes).where('id', '=', id).where('company_id', '=', companyId).execute();
}

/** Marks the pipeline and its live stages deleted. */
export async function markPipelineDeleted(db: Executor, companyId: number, id: number, time: string): Promise<void> {
  await db.updateTable('stages').set({ deleted_time: time, update_time: time }).where('company_id', '=', companyId).where('pipeline_id', '=', id).where('deleted_time', 'is', null).execute();
  await db.updateTable('pipelines').set({ deleted_time: time, update_time: time }).where('company_id', '=', companyId).where('id', '=', id).execute();
}

/** The order_nr after the highest one in use (1 for the first): live and deleted rows alike, so numbers are not reused. */
export async function nextPipelineOrder(db: Executor, companyId: number): Promise<number> {
  const row = await db.selectFrom('pipelines').select((eb) => eb.fn.max('order_nr').as('top')).where('company_id', '=', companyId).executeTakeFirst();
  return Number(row?.top ?? 0) + 1;
}

export async function findStage(db: Executor, companyId: number, id: number): Promise<StageRow | undefined> {
  return liveStages(db, companyId).where('id', '=', id).executeTakeFirst();
}

export async function findStageForUpdate(trx: Executor, companyId: number, id: number): Promise<StageRow | undefined> {
  return lockedForUpdate(trx, liveStages(trx, companyId).where('id', '=', id)).executeTakeFirst();
}

/** The live stage, share-locked: a concurrent delete of it waits for this transaction (a deal moving in). */
export async function findStageForShare(trx: Executor, companyId: number, id: number): Promise<StageRow | undefined> {
  return lockedForShare(trx, liveStages(trx, companyId).where('id', '=', id)).executeTakeFirst();
}

/** The live stages among the ids, locked against other writers. */
export async function findStagesForUpdate(trx: Executor, companyId: number, ids: readonly number[]): Promise<StageRow[]> {
  if (ids.length === 0) return [];
  return lockedForUpdate(trx, liveStages(trx, companyId).where('id', 'in', [...ids]).orderBy('id')).execute();
}

/** The pipeline's live stages, locked against other writers (a pipeline delete). */
export async function pipelineStagesForUpdate(trx: Executor, companyId: number, pipelineId: number): Promise<StageRow[]> {
  return lockedForUpdate(trx, liveStages(trx, companyId).where('pipeline_id', '=', pipelineId).orderBy('id')).execute();
}

export async function findStagesByIds(db: Executor, companyId: number, ids: readonly number[]): Promise<StageRow[]> {
  if (ids.length === 0) return [];
  return liveStages(db, companyId).where('id', 'in', [...ids]).orderBy('id').execute();
}

/** The pipeline's first stage (lowest order_nr, then id), if it has any. */
export async function firstStageOf(trx: Executor, companyId: number, pipelineId: number): Promise<StageRow | undefined> {
  return lockedForShare(trx, liveStages(trx, companyId).where('pipeline_id', '=', pipelineId).orderBy('order_nr').orderBy('id').limit(1)).executeTakeFirst();
}

export type StageSort = 'id' | 'update_time' | 'add_time' | 'order_nr';

export async function listStages(db: Executor, companyId: number, pipelineId: number | undefined, page: KeysetPage<StageSort>): Promise<StageRow[]> {
  let query = liveStages(db, companyId);
  if (pipelineId !== undefined) query = query.where('pipeline_id', '=', pipelineId);
  return keysetPage(query, page).execute();
}

/** v1's list: by pipeline, then order_nr, one row more than asked. */
export async function listStagesByOffset(db: Executor, companyId: number, pipelineId: number | undefined, start: number, limit: number): Promise<StageRow[]> {
  let query = liveStages(db, companyId);
  if (pipelineId !== undefined) query = query.where('pipeline_id', '=', pipelineId);
  return query.orderBy('pipeline_id').orderBy('order_nr').orderBy('id').offset(start).limit(limit + 1).execute();
}

export async function insertStage(db: Executor, row: Insertable<StagesTable>): Promise<number> {
  return (await db.insertInto('stages').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateStage(db: Executor, companyId: number, id: number, changes: StageChanges): Promise<void> {
  await db.updateTable('stages').set(changes).where('id', '=', id).where('company_id', '=', companyId).execute();
}

export async function markStagesDeleted(db: Executor, companyId: number, ids: readonly number[], time: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('stages').set({ deleted_time: time, update_time: time }).where('company_id', '=', companyId).where('id', 'in', [...ids]).where('deleted_time', 'is', null).execute();
}

export async function nextStageOrder(db: Executor, companyId: number, pipelineId: number): Promise<number> {
  const row = await db
    .selectFrom('stages')
    .select((eb) => eb.fn.max('order_nr').as('top'))
    .where('company_id', '=', companyId)
    .where('pipeline_id', '=', pipelineId)
    .where('deleted_time', 'is', null)
    .executeTakeFirst();
  return Number(row?.top ?? 0) + 1;
}

/** How many live deals sit in the pipeline or in the stages (all of the company's deals, whoever may see them). */
export async function countLiveDeals(db: Executor, companyId: number, where: { pipelineId: number } | { stageIds: readonly number[] }): Promise<number> {
  let query = db.selectFrom('deals').select(sql<number>`count(*)`.as('n')).where('company_id', '=', companyId).where('deleted_time', 'is', null);
  query = 'pipelineId' in where ? query.where('pipeline_id', '=', where.pipelineId) : query.where('stage_id', 'in', [...where.stageIds]);
  return Number((await query.executeTakeFirst())?.n ?? 0);
}
