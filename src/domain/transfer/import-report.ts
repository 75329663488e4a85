/** What an import is asked to do and what it answers, row by row. */
export type ImportStatus = 'created' | 'updated' | 'skipped' | 'rejected';

/** What became of one row (or card): `row` counts from 1 after the header; `line` is where it starts in the file. */
export interface ImportRowReport {
  row: number;
  line?: number;
  status: ImportStatus;
  id?: number;
  reason?: string;
}

export interface ImportReport {
  created: number;
  updated: number;
  skipped: number;
  rejected: number;
  /** CSV rows with nothing but spaces in every cell (empty lines included): skipped, and not numbered as rows. */
  blank_rows: number;
  /** Header columns that map to no person field (default mapping only), left out. */
  ignored_columns: string[];
  rows: ImportRowReport[];
}

export interface ImportOptions {
  duplicatePolicy?: string;
  /** Header → target (a field name, a custom field key or name, or null / "ignore"); unmapped headers are read as themselves. */
  mapping?: Record<string, string | null>;
  /** Called after each batch with the number of rows handled so far (the CLI's progress bar). */
  onProgress?: (rows: number) => void;
}
