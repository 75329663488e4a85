import { createReadStream, statSync, writeFileSync, readFileSync } from 'node:fs';
import { type Config, ConfigError } from '../config.js';
import { withStore } from './with-store.js';
import type { ImportReport } from '../../domain/transfer/import-report.js';
import { createServices } from '../services.js';
import { progressLine } from './progress-line.js';

/**
 * `personsd import`: a CSV (header row) or vCard file imported as the given user, with the API's rules and report;
 * a progress bar on stderr. Exits 1 when any row was rejected, so scripts notice.
 */
export async function importCommand(config: Config, file: string, values: { user: number; policy?: string; map?: string[]; report?: string }): Promise<number> {
  const mapping: Record<string, string | null> = {};
  for (const entry of values.map ?? []) {
    const at = entry.lastIndexOf('=');
    if (at <= 0) throw new ConfigError(`--map takes "Header=field", got "${entry}"`);
    const target = entry.slice(at + 1).trim();
    mapping[entry.slice(0, at)] = target === '' ? null : target;
  }
  const stat = statSync(file);
  if (!stat.isFile()) throw new ConfigError(`${file} is not a file: give a CSV or vCard file`);
  const size = stat.size;
  return withStore(config, async (store) => {
    const user = await store.db.selectFrom('users').selectAll().where('id', '=', values.user).executeTakeFirst();
    if (!user || user.active_flag !== 1) throw new ConfigError(`no active user with id ${values.user} (\`personsd users\` lists the users)`);
    const services = await createServices(store, { defaultRegion: config.identity?.defaultRegion });
    const actor = { userId: user.id, companyId: user.company_id, isAdmin: user.is_admin === 1 };
    const progress = progressLine(size);
    const options = { duplicatePolicy: values.policy, mapping: Object.keys(mapping).length > 0 ? mapping : undefined, onProgress: progress.rows };
    let report: ImportReport;
    if (/\.(vcf|vcard)$/i.test(file)) {
      report = await services.personImport.importVcards(actor, readFileSync(file, 'utf8'), options);
    } else {
      const counted = async function* () {
        for await (const chunk of createReadStream(file)) {
          progress.bytes((chunk as Buffer).length);
          yield chunk as Buffer;
        }
      };
      report = await services.personImport.importCsv(actor, counted(), options);
    }
    progress.end();
    console.error(`created ${report.created}, updated ${report.updated}, skipped ${report.skipped}, rejected ${report.rejected}`);
    if (report.blank_rows > 0) console.error(`blank rows skipped: ${report.blank_rows}`);
    if (report.ignored_columns.length > 0) console.error(`ignored columns: ${report.ignored_columns.join(', ')}`);
    const problems = report.rows.filter((r) => r.status === 'rejected' || r.status === 'skipped');
    for (const row of problems.slice(0, 20)) console.error(`  ${row.status}: ${row.reason}`);
    if (problems.length > 20) console.error(`  … and ${problems.length - 20} more${values.report ? '' : ' (--report FILE writes them all)'}`);
    if (values.report) writeFileSync(values.report, JSON.stringify(report, null, 2));
    return report.rejected > 0 ? 1 : 0;
  });
}
