// Types of test-groups.js for the TypeScript that imports it (its unit test).
export function startsProcesses(file: string, source?: string): boolean;
export function mayShare(file: string, source?: string): boolean;
export function groupFiles(files: readonly string[], weightOf: (file: string) => number, shares: (file: string) => boolean, maxFiles?: number): string[][];
