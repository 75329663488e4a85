import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { idColumn } from './columns.js';

/** The stages of a company's first pipeline, as they were when this migration was written (a migration is frozen). */
const DEFAULT_STAGES = ['Qualified', 'Contact Made', 'Demo Scheduled', 'Proposal Made', 'Negotiations Started'];

/**
 * Pipelines and their stages; every deal sits in one stage of one pipeline. Existing companies get the default
 * pipeline, and their deals (live and deleted) its first stage.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('pipelines')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('order_nr', 'integer', (c) => c.notNull())
    .addColumn('is_deal_probability_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active_flag', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('update_time', 'text', (c) => c.notNull())
    .addColumn('deleted_time', 'text')
    .execute();
  await db.schema.createIndex('pipelines_company').on('pipelines').columns(['company_id', 'order_nr', 'id']).execute();
  await db.schema
    .createTable('stages')
    .addColumn('id', 'integer', (c) => idColumn(c, dialect))
    .addColumn('company_id', 'integer', (c) => c.notNull().references('companies.id'))
    .addColumn('pipeline_id', 'integer', (c) => c.notNull().references('pipelines.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('order_nr', 'integer', (c) => c.notNull())
    .addColumn('deal_probability', 'integer', (c) => c.notNull().defaultTo(100))
    .addColumn('is_deal_rot_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('days_to_rotten', 'integer')
    .addColumn('add_time', 'text', (c) => c.notNull())
    .addColumn('update_time', 'text', (c) => c.notNull())
    .addColumn('deleted_time', 'text')
    .execute();
  await db.schema.createIndex('stages_company').on('stages').columns(['company_id', 'id']).execute();
  await db.schema.createIndex('stages_pipeline').on('stages').columns(['pipeline_id', 'order_nr', 'id']).execute();

  await db.schema.alterTable('deals').addColumn('pipeline_id', 'integer', (c) => c.references('pipelines.id')).execute();
  await db.schema.alterTable('deals').addColumn('stage_id', 'integer', (c) => c.references('stages.id')).execute();
  await db.schema.createIndex('deals_company_pipeline').on('deals').columns(['company_id', 'pipeline_id', 'id']).execute();
  await db.schema.createIndex('deals_company_stage').on('deals').columns(['company_id', 'stage_id', 'id']).execute();

  await giveCompaniesTheDefaultPipeline(db);
}

/**
 * Every company without a pipeline gets the default one, and its deals without a stage (live and deleted) that
 * pipeline's first stage. Exported for its test, which runs it on companies made to look as before 016.
 */
export async function giveCompaniesTheDefaultPipeline(db: Kysely<any>): Promise<void> {
  const now = `${new Date().toISOString().slice(0, 19)}Z`;
  const companies = await db
    .selectFrom('companies')
    .select('id')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('pipelines').select('pipelines.id').whereRef('pipelines.company_id', '=', 'companies.id'))))
    .orderBy('id')
    .execute();
  for (const { id: companyId } of companies) {
    const pipeline = await db
      .insertInto('pipelines')
      .values({ company_id: companyId, name: 'Pipeline', order_nr: 1, is_deal_probability_enabled: 0, active_flag: 1, add_time: now, update_time: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    let firstStage: number | undefined;
    for (const [index, name] of DEFAULT_STAGES.entries()) {
      const stage = await db
        .insertInto('stages')
        .values({ company_id: companyId, pipeline_id: pipeline.id, name, order_nr: index + 1, deal_probability: 100, is_deal_rot_enabled: 0, add_time: now, update_time: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      firstStage ??= stage.id;
    }
    await db.updateTable('deals').set({ pipeline_id: pipeline.id, stage_id: firstStage }).where('company_id', '=', companyId).where('stage_id', 'is', null).execute();
  }
}
