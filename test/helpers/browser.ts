import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Cleanup } from './cleanup.ts';
import { repoRoot } from './processes.ts';

/** Where pages are photographed when a test fails. */
const RESULTS = join(repoRoot, 'test-results');
/** `IM_WEB_SCREENSHOTS=1`: the tests also write the README's pictures to docs/img/. */
const README_PICTURES = process.env.IM_WEB_SCREENSHOTS === '1';

/**
 * Debian's Chromium (scripts/browser.sh installs it with apt-get; Playwright downloads nothing),
 * driven by playwright-core. Every page opened through it is photographed into test-results/
 * when a test of the file fails.
 */
export class TestBrowser {
  readonly #cleanup: Cleanup;
  readonly #pages: { name: string; page: Page }[] = [];
  #browser?: Browser;

  /** Create it at the top level of a test file (it adds the file's afterEach hook), launch it in `before`. */
  constructor(cleanup: Cleanup) {
    this.#cleanup = cleanup;
    afterEach((t) => (t.passed ? undefined : this.#photograph(t.name)));
  }

  async launch(): Promise<void> {
    const install = spawnSync('bash', ['scripts/browser.sh'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    assert.equal(install.status, 0, 'scripts/browser.sh failed');
    const executablePath = install.stdout.trim().split('\n').at(-1)!;
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--headless=new'] });
    this.#browser = browser;
    this.#cleanup.after(() => browser.close());
  }

  /** A page in a fresh context (its own storage: another user, another device). */
  async page(name: string, viewport = { width: 1000, height: 640 }): Promise<Page> {
    if (!this.#browser) throw new Error('launch() first');
    const context: BrowserContext = await this.#browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`${name}: page error:`, error));
    page.on('dialog', (dialog) => void dialog.accept());
    this.#pages.push({ name, page });
    return page;
  }

  /** A picture for the README (docs/img/<file>), only when IM_WEB_SCREENSHOTS=1. */
  async readmePicture(page: Page, file: string): Promise<void> {
    if (README_PICTURES) await page.screenshot({ path: join(repoRoot, 'docs/img', file) });
  }

  async #photograph(test: string): Promise<void> {
    mkdirSync(RESULTS, { recursive: true });
    for (const { name, page } of this.#pages) {
      const file = join(RESULTS, `${test.replace(/[^\w.-]+/g, '_')}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      console.error(`screenshot: ${file}`);
    }
  }
}
