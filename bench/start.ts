// Time from spawning `personsd serve` (in-memory database) to its first answered /health, over several runs.
// `npm run bench:start [runs]`; run `npm run build` first, or it measures the tsx path.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/personsd.js', import.meta.url));
const runs = Number(process.argv[2] ?? 7);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function oneStart(): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], { env: { ...process.env, DATABASE_URL: 'memory:', PORT: String(port), LOG_LEVEL: 'silent' }, stdio: 'ignore' });
  try {
    for (;;) {
      const answered = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (answered) return performance.now() - started;
      if (performance.now() - started > 30_000) throw new Error('no answer from /health within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill();
    await once(child, 'exit');
  }
}

const times: number[] = [];
for (let i = 0; i < runs; i++) times.push(await oneStart());
times.sort((a, b) => a - b);
const ms = (t: number) => `${Math.round(t)} ms`;
console.log(`serve → first /health, ${runs} runs: min ${ms(times[0])}, median ${ms(times[Math.floor(runs / 2)])}, max ${ms(times[runs - 1])}`);
