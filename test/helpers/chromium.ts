import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before } from 'node:test';
import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium for the browser tests (playwright-core drives it; no browser is downloaded): CHROMIUM_PATH, else
 * `chromium` or `chromium-browser` on the PATH. Undefined when none is installed.
 */
export function findChromium(): string | undefined {
  const named = process.env.CHROMIUM_PATH;
  if (named) return existsSync(named) ? named : undefined;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const path = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (path) return path;
    } catch {
      // not on the PATH
    }
  }
  return undefined;
}

/** Flags for a headless Chromium in containers and CI (no sandbox as root, /dev/shm often small). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'];

/**
 * The browser tests of one file: `define` registers them with a Chromium launched once for the file (`browser()`
 * gives it inside tests). Without Chromium the file registers none and prints a NOTE line the runner shows.
 */
export function withChromium(what: string, define: (browser: () => Browser) => void): void {
  const executablePath = findChromium();
  if (!executablePath) {
    console.log(`NOTE: no Chromium found (CHROMIUM_PATH, or \`chromium\` on the PATH): ${what} did NOT run. Install it with \`apt-get install -y chromium\`.`);
    return;
  }
  let browser: Browser | undefined;
  before(async () => {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  });
  after(() => browser?.close());
  define(() => browser as Browser);
}
