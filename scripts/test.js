#!/usr/bin/env node
// Runs every test/**/*.test.ts and examples/**/*.test.ts with node's own test runner (Node 20 cannot glob TypeScript
// test files itself); arguments narrow it to files or folders (`node scripts/test.js test/unit`).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return find(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const only = process.argv.slice(2);
const files = (only.length > 0 ? only.flatMap((path) => (statSync(path).isDirectory() ? find(path) : [path])) : [...find('test'), ...find('examples')]).sort();
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
