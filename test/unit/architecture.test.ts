import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/*
 * The house rules of docs/design.md, checked on the source: layers import downwards only, no import cycles,
 * domain folders depend one way, src/ holds only layer folders, files stay short enough to read in one sitting.
 */
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const LAYERS = ['store', 'domain', 'http', 'routes', 'app'] as const;
/** Declarative files allowed past the length limit: they list, they do not decide. */
const LONG_DECLARATIONS = new Set(['store/schema.ts']);
const MAX_LINES = 400;

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
const files = walk(SRC);
const rel = (path: string) => relative(SRC, path);
const imports = new Map(
  files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)].map((m) => resolve(dirname(file), m[1]).replace(/\.js$/, '.ts'));
    return [file, targets];
  }),
);
const layerOf = (file: string) => LAYERS.indexOf(rel(file).split('/')[0] as (typeof LAYERS)[number]);

describe('architecture', () => {
  it('keeps src/ to layer folders', () => {
    const loose = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isFile() && name !== 'index.ts');
    assert.deepEqual(loose, []);
    assert.deepEqual(readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory()).sort(), [...LAYERS].sort());
  });

  it('imports only downwards: store ← domain ← http ← routes ← app (routes may name the app\'s Services type)', () => {
    const upward: string[] = [];
    for (const [file, targets] of imports) {
      for (const target of targets) {
        const [from, to] = [layerOf(file), layerOf(target)];
        const routesNamingServices = rel(file).startsWith('routes/') && rel(target) === 'app/services.ts';
        if (to > from && !routesNamingServices) upward.push(`${rel(file)} → ${rel(target)}`);
      }
    }
    assert.deepEqual(upward, []);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push(path.slice(path.indexOf(file)).concat(file).map(rel).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const target of imports.get(file) ?? []) if (imports.has(target)) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  it('has domain folders that depend on each other one way only (no cycle through several folders either)', () => {
    const folderOf = (file: string) => {
      const parts = rel(file).split('/');
      return parts[0] === 'domain' && parts.length > 2 ? parts[1] : undefined;
    };
    const edges = new Map<string, Set<string>>();
    for (const [file, targets] of imports) {
      for (const target of targets) {
        const [a, b] = [folderOf(file), folderOf(target)];
        if (a && b && a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
      }
    }
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (folder: string, path: string[]) => {
      if (state.get(folder) === 'done') return;
      if (state.get(folder) === 'visiting') return void cycles.push([...path.slice(path.indexOf(folder)), folder].join(' → '));
      state.set(folder, 'visiting');
      for (const next of edges.get(folder) ?? []) visit(next, [...path, folder]);
      state.set(folder, 'done');
    };
    for (const folder of edges.keys()) visit(folder, []);
    assert.deepEqual(cycles, []);
  });

  it(`keeps files under ${MAX_LINES} lines, declarations aside`, () => {
    const long = files
      .filter((file) => !LONG_DECLARATIONS.has(rel(file)))
      .map((file) => [rel(file), readFileSync(file, 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > MAX_LINES)
      .map(([name, lines]) => `${name}: ${lines} lines`);
    assert.deepEqual(long, []);
  });
});
