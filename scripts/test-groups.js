// Which test files share a process (scripts/test.js). A test process spends much of its CPU before and around its
// first tests: starting node twice (the runner and the file), loading the bundled sources, and running the server's
// code cold (route building, schema compiling, the first requests) until V8 has optimised it. Files run one after
// another in one process pay that once: eight typical API test files took 27 s of CPU together against 48 s apart.
//
// Only files that keep to the shared helpers share: each makes its own companies on servers it starts and stops
// (test/helpers/server.ts), so files that follow each other in one process, on one PostgreSQL database, cannot see
// each other's data. A file runs alone when it starts processes or browsers, opens stores or databases of its own,
// receives webhooks (a later file's dispatcher would go on delivering its queued events), or sits in a folder whose
// tests watch process-wide state (the admin API's clock and resets, metrics, migrations, shutdown).

import { readFileSync } from 'node:fs';

/** Folders whose files always run alone. */
const ALONE_FOLDERS = ['test/admin/', 'test/app/', 'test/cli/', 'test/console/', 'test/http/', 'test/scale/', 'test/webhooks/', 'examples/'];

/** What in a file's source says it starts processes of its own. */
const STARTS_PROCESSES = /spawn|fork\(|startChildServer|runPersonsd|bin\/personsd/;

/**
 * What else in a file's source makes it run alone; timing the event loop among it, as another file's leftover work in
 * the same loop (a server closing, a worker's message) shifts what such a file measures.
 */
const ALONE_SOURCE = /isolatedDatabase|openStore|startAdminServer|webhook|chromium|playwright|_personsd|setImmediate|eventLoopUtilization|performance\.now\(\)/i;

/** Most files, and most seconds by the last run's durations, one process takes. */
const MAX_FILES = 12;
const MAX_SECONDS = 100;

/** Whether a file starts processes of its own (the slowest files, by far). */
export function startsProcesses(file, source = readFileSync(file, 'utf8')) {
  return STARTS_PROCESSES.test(source);
}

/** Whether a file may share its process with others. */
export function mayShare(file, source = readFileSync(file, 'utf8')) {
  return !ALONE_FOLDERS.some((folder) => file.startsWith(folder)) && !startsProcesses(file, source) && !ALONE_SOURCE.test(source);
}

/**
 * The files as runs: a run is one file or several in one process. Sharing files are packed in path order (files of a
 * folder use much the same code) up to `maxFiles` files or MAX_SECONDS of their weights (the last run's seconds).
 * `maxFiles` 1 runs every file alone.
 */
export function groupFiles(files, weightOf, shares, maxFiles = MAX_FILES) {
  const runs = [];
  let current = [];
  let seconds = 0;
  for (const file of [...files].sort()) {
    if (!shares(file) || maxFiles <= 1) {
      runs.push([file]);
      continue;
    }
    if (current.length > 0 && (current.length >= maxFiles || seconds + weightOf(file) > MAX_SECONDS)) {
      runs.push(current);
      current = [];
      seconds = 0;
    }
    current.push(file);
    seconds += weightOf(file);
  }
  if (current.length > 0) runs.push(current);
  return runs;
}
