import type { Executor } from '../../store/executor.js';
import { rewriteSearchTerms, searchRowsAfter } from '../../store/repositories/search.repository.js';
import { isOneCharacterWord } from '../../store/search/index-lookups.js';
import { SEARCH_TABLES, type SearchDoc, type SearchDocRow, type SearchEntity } from '../../store/search/search-match.js';

/**
 * Format changes that only add terms to some rows, by the version they start from: instead of rebuilding every row
 * (twelve minutes at 1,000,000 persons on PostgreSQL), the rows that gain terms are found and only their terms
 * written afresh. A version not here is rebuilt whole.
 */
export const SEARCH_INDEX_UPGRADES: Readonly<Record<string, (trx: Executor) => Promise<void>>> = {
  // Version 8: 1-character words (initials, single digits) in the terms index as whole words.
  '7': (trx) => rewriteTermsWhere(trx, holdsOneCharacterWord),
};

const ROWS_PER_READ = 2000;

/** Rewrites the terms of every indexed row `gains` picks, of every entity. */
async function rewriteTermsWhere(trx: Executor, gains: (doc: SearchDoc) => boolean): Promise<void> {
  for (const entity of Object.keys(SEARCH_TABLES) as SearchEntity[]) {
    for (let afterId = 0; ; ) {
      const rows = await searchRowsAfter(trx, entity, afterId, ROWS_PER_READ);
      if (rows.length === 0) break;
      afterId = rows[rows.length - 1].id;
      const byCompany = new Map<number, SearchDocRow[]>();
      for (const row of rows) {
        if (!gains(row.doc)) continue;
        const picked = byCompany.get(row.companyId);
        if (picked) picked.push({ id: row.id, doc: row.doc });
        else byCompany.set(row.companyId, [{ id: row.id, doc: row.doc }]);
      }
      for (const [companyId, picked] of byCompany) await rewriteSearchTerms(trx, entity, companyId, picked);
    }
  }
}

/** Whether any column holds a word of one character: the stored text is its pieces between spaces. */
export function holdsOneCharacterWord(doc: SearchDoc): boolean {
  for (const text of Object.values(doc)) {
    if (!text) continue;
    for (const piece of text.split(' ')) if (piece.length <= 2 && isOneCharacterWord(piece)) return true;
  }
  return false;
}
