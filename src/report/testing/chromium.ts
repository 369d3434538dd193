// Test-only: Debian's headless Chromium driven by playwright-core, with the flags this machine's closed network needs.

import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** Debian's `chromium` package; CI installs it. */
const CHROMIUM = '/usr/bin/chromium';

/** Without the background-networking flags Chromium keeps trying hosts this machine cannot reach. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Why a browser test cannot run here, or false when it can. */
export function chromiumSkip(): string | false {
  return existsSync(CHROMIUM)
    ? false
    : `${CHROMIUM} not found: install Debian's chromium package to run this test`;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
