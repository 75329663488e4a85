import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

// SQLite only: Kysely locks migrations on PostgreSQL itself; on SQLite personsd takes the lock (src/store/migrate.ts).
function migrate(databaseUrl: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/personsd.js', 'migrate'], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('migrations on a new SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'personsd-migrate-race-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('succeed when several processes start them at once, and apply each migration once', async () => {
    const url = `sqlite:${join(dir, 'race.db')}`;
    const results = await Promise.all(Array.from({ length: 5 }, () => migrate(url)));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const applied = results.filter((r) => r.stderr.includes('applied:'));
    assert.equal(applied.length, 1, results.map((r) => r.stderr).join('\n---\n'));
  });
});
