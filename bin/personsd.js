#!/usr/bin/env node
// Runs the bundled JavaScript in dist/bundle/ (built by `npm install` through the `prepare` script, or `npm run
// build`) when it is at least as new as every file in src/; otherwise the TypeScript sources through tsx, so an edit
// to src/ is never shadowed by an older build.
import { existsSync, readdirSync, statSync } from 'node:fs';

const compiled = new URL('../dist/bundle/main.js', import.meta.url);
const sources = new URL('../src/', import.meta.url);

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (existsSync(compiled) && (!existsSync(sources) || newestIn(sources) <= statSync(compiled).mtimeMs)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/app/main.ts');
}
