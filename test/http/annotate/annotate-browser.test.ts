import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { tempDir } from '../../helpers/store-fixture.js';
import { root } from '../../cli/cli-fixture.js';
import { buildSmallSet, HOSTILE_PRODUCT, startAnnotateProcess, type AnnotateProcess } from '../../cli/annotate-fixture.js';

/**
 * The annotation page in a real browser (Debian's chromium through playwright-core): two
 * annotators label with the keyboard, undo, reload and resume; the export then feeds calibrate.
 * Screenshots go to a temp dir, or to docs/ with UPDATE_SCREENSHOTS=1 (docs/labelling.md shows those).
 */

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM)
  ? false
  : `no browser: ${CHROMIUM} is missing. Install Debian's chromium (apt-get install -y chromium; .ci/run does it when missing); npx playwright install does not work here`;
if (skip) process.stderr.write(`\n*** SKIPPING the annotation browser test: ${skip}\n\n`);

const { dir, cleanup } = tempDir('ecomalign-annotate-browser-');
const shots = process.env.UPDATE_SCREENSHOTS === '1' ? join(root, 'docs') : dir;

describe('annotation page in a real browser', { skip, timeout: 600_000 }, () => {
  let setDir: string;
  let cli: ReturnType<typeof buildSmallSet>['cli'];
  let server: AnnotateProcess;
  let browser: Browser;
  let silver: Map<string, 0 | 1>;
  let setHash: string;
  const problems: string[] = [];

  const hashSet = () =>
    createHash('sha256')
      .update(['t1', 't2', 't3'].map((t) => readFileSync(join(setDir, `${t}.jsonl`), 'utf8')).join('\0'))
      .digest('hex');

  before(async () => {
    ({ setDir, cli } = buildSmallSet(dir));
    silver = new Map(
      readFileSync(join(setDir, 't2.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .map((r) => [r.id, r.silverLabel]),
    );
    setHash = hashSet();
    server = await startAnnotateProcess(['--set', setDir, '--votes', '2', '--gold-rate', '0.25']);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Playwright gives every launch a fresh temporary profile (it refuses --user-data-dir here).
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    cleanup();
  });

  async function open(viewport: { width: number; height: number }, path: string): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${server.url}${path}`);
    return page;
  }

  const itemId = (page: Page) => page.getAttribute('#item', 'data-item-id');

  /** Presses a key and waits for the item on screen to change (the next one, the undone one, or none). */
  async function press(page: Page, key: string): Promise<string | null> {
    const before = await itemId(page);
    await page.keyboard.press(key);
    await page.waitForFunction((prev) => document.querySelector<HTMLElement>('#item')!.dataset.itemId !== prev, before);
    return itemId(page);
  }

  async function signIn(page: Page, name: string) {
    await page.waitForSelector('#name-input', { state: 'visible' });
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#item')!.dataset.itemId !== '');
  }

  /** Checks the hostile product, when it is on screen, is shown as text and ran nothing. */
  let hostileSeen = 0;
  async function checkEscaping(page: Page) {
    const title = await page.textContent('#product-title');
    if (title !== HOSTILE_PRODUCT.title) return;
    hostileSeen++;
    assert.equal(await page.locator('#product img, #product script, #product b').count(), 0, 'the title became markup');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'script from a title ran');
  }

  /** Labels with the keyboard until nothing is left; `answer` picks 1 or 0 per item. */
  async function labelRest(page: Page, answer: (id: string, n: number) => 0 | 1): Promise<string[]> {
    const ids: string[] = [];
    for (let id = await itemId(page), n = 0; id; n++) {
      await checkEscaping(page);
      ids.push(id);
      id = await press(page, String(answer(id, n)));
    }
    assert.ok(await page.isVisible('#empty'), 'says nothing is left');
    return ids;
  }

  it('alice labels T2 with the keyboard, undoes, reloads and resumes, skips one and finishes', async () => {
    const page = await open({ width: 1280, height: 800 }, '/?task=t2');
    await signIn(page, 'alice');
    const first = await itemId(page);
    const second = await press(page, String(silver.get(first!)));
    const third = await press(page, String(silver.get(second!)));
    await page.waitForFunction(() => /You: 2 labelled/.test(document.querySelector('#counts')!.textContent));
    await page.screenshot({ path: join(shots, 'annotate-t2.png') });

    // Undo brings the second item back with its label taken away.
    assert.equal(await press(page, 'u'), second);
    await page.waitForFunction(() => /You: 1 labelled/.test(document.querySelector('#counts')!.textContent));
    assert.equal(await press(page, String(silver.get(second!))), third, 'relabelled, then on to the item that was on screen');

    // A reload asks no name and shows the same item.
    await page.reload();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#item')!.dataset.itemId !== '');
    assert.ok(await page.isHidden('#name-form'), 'the name is remembered');
    assert.equal(await page.textContent('#who-name'), 'alice');
    assert.equal(await itemId(page), third, 'resumes the item on screen');

    const skipped = third!;
    assert.notEqual(await press(page, 's'), skipped);
    const rest = await labelRest(page, (id) => silver.get(id)!);
    assert.ok(!rest.includes(skipped) && !rest.includes(first!) && !rest.includes(second!), 'no item twice');
    assert.equal(rest.length + 3, silver.size, 'every T2 item once');
    await page.context().close();
  });

  it('bob labels the same items on a phone-sized screen, with the keyboard and the buttons', async () => {
    const page = await open({ width: 390, height: 844 }, '/?task=t2');
    const name = 'bob <i>the</i> builder';
    await signIn(page, name);
    assert.equal(await page.textContent('#who-name'), name, 'the name is shown as typed');
    assert.equal(await page.locator('#who-name i').count(), 0, 'and not as markup');
    await page.screenshot({ path: join(shots, 'annotate-t2-phone.png'), fullPage: true });
    // One answer with a visible button, the rest with keys; bob disagrees with the construction on every fifth.
    const clicked = await itemId(page);
    await page.click(silver.get(clicked!) === 1 ? '#yes' : '#no');
    await page.waitForFunction((prev) => document.querySelector<HTMLElement>('#item')!.dataset.itemId !== prev, clicked);
    const ids = await labelRest(page, (id, n) => (n % 5 === 4 ? ((1 - silver.get(id)!) as 0 | 1) : silver.get(id)!));
    assert.equal(ids.length + 1, silver.size);
    await page.context().close();
  });

  it('shows T1 scripts, T3 product sets and the progress page', async () => {
    const page = await open({ width: 1280, height: 800 }, '/?task=t1');
    await page.evaluate(() => localStorage.setItem('ecomalign.annotator', 'alice'));
    await page.reload();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#item')!.dataset.itemId !== '');
    assert.match((await page.textContent('#question'))!, /plausible/);
    await press(page, '1');
    await page.screenshot({ path: join(shots, 'annotate-t1.png') });

    await page.goto(`${server.url}/?task=t3`);
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#item')!.dataset.itemId !== '');
    assert.ok((await page.locator('#steps > li > ul').count()) > 0, 'products listed under their steps');
    await page.screenshot({ path: join(shots, 'annotate-t3.png') });

    await page.goto(`${server.url}/?view=progress`);
    await page.waitForSelector('#progress-tables table');
    const text = (await page.textContent('#progress-tables'))!;
    assert.match(text, /alice/);
    assert.match(text, /bob <i>the<\/i> builder/);
    await page.screenshot({ path: join(shots, 'annotate-progress.png'), fullPage: true });
    await page.context().close();
  });

  it('met the hostile title without running it, logged no browser errors and left the set files alone', () => {
    assert.ok(hostileSeen >= 1, 'the hostile product was among the items');
    assert.deepEqual(problems, []);
    assert.equal(hashSet(), setHash);
  });

  it('exports the two annotators’ majority vote, which calibrate reads', async () => {
    const res = await fetch(`${server.url}/api/export?task=t2&format=jsonl`);
    assert.equal(res.status, 200);
    const jsonl = await res.text();
    const exported = jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(exported.length > 0 && exported.length < silver.size, 'alice’s skip and bob’s disagreements are not exported');
    for (const r of exported) assert.deepEqual([r.votes, r.agreement, r.label], [2, 1, silver.get(r.id)]);
    const labels = join(dir, 't2-labels.jsonl');
    writeFileSync(labels, jsonl);
    const calibrated = cli(['calibrate', '--labels', labels, '--out', join(dir, 'calibration')]);
    assert.equal(calibrated.code, 0, calibrated.stderr);
    assert.equal(JSON.parse(calibrated.stdout.trim().split('\n').at(-1)!).labels, exported.length);
    assert.match(readFileSync(join(dir, 'calibration', 'report.md'), 'utf8'), new RegExp(`${exported.length} items, 2 votes each`));
  });
});
