#!/usr/bin/env node
// Runs every test/**/*.test.ts and examples/**/*.test.ts with node's test runner, several processes at a time;
// arguments narrow it to files or folders (`node scripts/test.js test/unit`).
//
// Why not `node --test` with all the files: on a 2-core machine it runs one file at a time, and most of a file's
// time is spent waiting on sockets, child processes and the database, not on the CPU. Running files side by side
// is safe because every test makes its own company; with PostgreSQL each process also gets a database of its own,
// copied from a migrated template, so a webhook-receiving file's dispatcher never claims another's deliveries.
//
// PERSONSD_TEST_CONCURRENCY sets how many processes run at once (default 4). Files that keep to the shared test
// helpers run several to a process, one after another (scripts/test-groups.js); PERSONSD_TEST_GROUP_SIZE=1 runs every
// file in a process of its own. The slowest runs start first, by the durations of the last run (kept in
// node_modules/.cache). The files are compiled first (scripts/test-build.js).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { buildTests, refreshConsole, refreshDist } from './test-build.js';
import { groupFiles, mayShare, startsProcesses } from './test-groups.js';

const root = join(import.meta.dirname, '..');
const cache = join(root, 'node_modules', '.cache', 'personsd');
const durationsFile = join(cache, 'test-durations.json');
const concurrency = Math.max(1, Number(process.env.PERSONSD_TEST_CONCURRENCY) || 4);
const groupSize = process.env.PERSONSD_TEST_GROUP_SIZE === undefined ? undefined : Math.max(1, Number(process.env.PERSONSD_TEST_GROUP_SIZE) || 1);
const pgUrl = process.env.PERSONSD_TEST_PG_URL;

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return find(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function readDurations() {
  try {
    return JSON.parse(readFileSync(durationsFile, 'utf8'));
  } catch {
    return {};
  }
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(base, name) {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

function run(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, output }));
  });
}

/** A migrated PostgreSQL database that each test file's database is copied from (CREATE DATABASE … TEMPLATE). */
async function pgTemplate() {
  const name = `${new URL(pgUrl).pathname.slice(1)}_tmpl_${randomBytes(4).toString('hex')}`.slice(-63);
  await withClient(pgUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const migrated = await run(['--import', 'tsx', 'src/app/main.ts', 'migrate'], { DATABASE_URL: databaseUrl(pgUrl, name), LOG_LEVEL: 'silent' });
  if (migrated.code !== 0) throw new Error(`migrating the template database failed:\n${migrated.output}`);
  return name;
}

const summary = (output, key) => Number(output.match(new RegExp(`^ℹ ${key} (\\d+)$`, 'm'))?.[1] ?? 0);

/** The script a run's process starts: the built file, or for several files one that imports each in turn. */
function entryOf(files, built, outdir, index) {
  if (files.length === 1) return built.get(files[0]);
  const entry = join(outdir, 'runs', `run-${index}.test.js`);
  mkdirSync(join(outdir, 'runs'), { recursive: true });
  writeFileSync(entry, files.map((file) => `import ${JSON.stringify(pathToFileURL(built.get(file)).href)};\n`).join(''));
  return entry;
}

async function runFiles(files, entry, template) {
  let database;
  const env = {};
  if (template) {
    database = `${template.replace(/_tmpl_/, '_f_')}_${randomBytes(3).toString('hex')}`.slice(-63);
    await withClient(pgUrl, (client) => client.query(`CREATE DATABASE "${database}" TEMPLATE "${template}"`));
    env.PERSONSD_TEST_PG_URL = databaseUrl(pgUrl, database);
  }
  const started = Date.now();
  const result = await run(['--test', '--test-reporter=spec', entry], env);
  const seconds = (Date.now() - started) / 1000;
  if (database) await withClient(pgUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  return { files, seconds, ...result, tests: summary(result.output, 'tests'), failed: summary(result.output, 'fail') };
}

async function main() {
  const only = process.argv.slice(2);
  const files = (only.length > 0 ? only.flatMap((path) => (statSync(path).isDirectory() ? find(path) : [path])) : [...find('test'), ...find('examples')]).sort();
  const previous = readDurations();
  // Without a last run to go by (a fresh clone, CI), files that start processes of their own go first: they are the
  // slowest by far, and started last they would leave one core idle while they finish.
  const sources = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
  const weight = (file) => previous[file] ?? (startsProcesses(file, sources.get(file)) ? 1000 : statSync(file).size / 1000);
  // A file's typical seconds where the last run has none, for packing runs of several files.
  const runs = groupFiles(files, (file) => previous[file] ?? 4, (file) => mayShare(file, sources.get(file)), groupSize);
  const runWeight = (run) => run.reduce((sum, file) => sum + weight(file), 0);
  const queue = [...runs].sort((a, b) => runWeight(b) - runWeight(a));
  const started = Date.now();
  // Inside the checkout (ignored by git) so the built files resolve packages from its node_modules.
  const outdir = join(root, '.test-build');
  rmSync(outdir, { recursive: true, force: true });
  const [built, template] = await Promise.all([buildTests(root, files, outdir), pgUrl ? pgTemplate() : undefined, refreshDist(root), refreshConsole(root)]);
  const results = [];
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let files = queue.shift(); files; files = queue.shift()) {
          const result = await runFiles(files, entryOf(files, built, outdir, runs.indexOf(files)), template);
          results.push(result);
          const ok = result.code === 0;
          const named = files.length === 1 ? files[0] : `${files.length} files in one process: ${files.join(', ')}`;
          console.log(`${ok ? '✔' : '✖'} ${named} (${result.tests} tests, ${result.seconds.toFixed(1)} s)`);
          if (!ok || only.length > 0) console.log(result.output);
          // A file that could not test something (no Chromium for the browser tests) says so on a NOTE line.
          else for (const note of result.output.match(/^NOTE: .*$/gm) ?? []) console.log(`  ${note}`);
        }
      }),
    );
  } finally {
    if (template) await withClient(pgUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`));
  }
  mkdirSync(join(durationsFile, '..'), { recursive: true });
  // A run of several files is remembered as an equal share for each.
  const durations = results.flatMap((r) => r.files.map((file) => [file, r.seconds / r.files.length]));
  writeFileSync(durationsFile, JSON.stringify({ ...previous, ...Object.fromEntries(durations) }));

  const failed = results.filter((r) => r.code !== 0);
  const tests = results.reduce((sum, r) => sum + r.tests, 0);
  const failedTests = results.reduce((sum, r) => sum + r.failed, 0);
  console.log(`\n${files.length} files in ${runs.length} processes, ${tests} tests, ${failedTests} failed, ${failed.reduce((sum, r) => sum + r.files.length, 0)} files failed; ${((Date.now() - started) / 1000).toFixed(0)} s at concurrency ${concurrency}${pgUrl ? ' (SQLite and PostgreSQL)' : ' (SQLite)'}`);
  for (const r of failed) console.log(`  ✖ ${r.files.join(', ')}${r.signal ? ` (${r.signal})` : ''}`);
  process.exit(failed.length > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
