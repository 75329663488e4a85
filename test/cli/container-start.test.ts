import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

/** The run stage's ENV, CMD and HEALTHCHECK, read from the Dockerfile itself so the test follows it. */
function imageSettings() {
  const runStage = DOCKERFILE.slice(DOCKERFILE.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  const envBlock = /\nENV ((?:.*\\\n)*.*)/.exec(runStage)?.[1] ?? '';
  for (const [, name, value] of envBlock.matchAll(/([A-Z_]+)=(\S+)/g)) env[name] = value;
  const json = (line: RegExp) => JSON.parse(line.exec(runStage)?.[1] ?? 'null') as string[];
  return { env, cmd: json(/\nCMD (\[.*\])/), healthcheck: json(/CMD (\["node", "-e".*\])/) };
}

describe('the container image start command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'personsd-image-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves with the image settings, writes its database to the data volume and passes the health check', async () => {
    const { env: imageEnv, cmd, healthcheck } = imageSettings();
    assert.equal(imageEnv.NODE_ENV, 'production');
    assert.deepEqual(cmd.slice(0, 2), ['node', 'bin/personsd.js']);
    const token = 'image-token-0123456789';
    const env = {
      ...process.env,
      ...imageEnv,
      // The image listens on every interface of its own network; here loopback and a free port stand in for it.
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: imageEnv.DATABASE_URL.replace('/data/', `${dataDir}/`),
      PERSONSD_BOOTSTRAP_TOKEN: token,
      LOG_LEVEL: 'silent',
    };
    const child = spawn(process.execPath, cmd.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        child.stderr.on('data', (chunk) => {
          stderr += chunk;
          const match = /listening on (http:\/\/\S+)/.exec(stderr);
          if (match) resolve(match[1]);
        });
        child.on('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
      });
      const port = new URL(url).port;
      const health = spawnSync(healthcheck[0] === 'node' ? process.execPath : healthcheck[0], healthcheck.slice(1), { env: { ...process.env, PORT: port } });
      assert.equal(health.status, 0, 'the HEALTHCHECK command passes');
      const persons = await fetch(`${url}/api/v2/persons`, { headers: { 'x-api-token': token } });
      assert.equal(persons.status, 200);
      assert.ok(existsSync(join(dataDir, 'personsd.db')), 'the database lives in the data volume');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('fails the health check when nothing answers', () => {
    const { healthcheck } = imageSettings();
    const health = spawnSync(process.execPath, healthcheck.slice(1), { env: { ...process.env, PORT: '1' } });
    assert.equal(health.status, 1);
  });
});
