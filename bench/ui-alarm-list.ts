/**
 * UI: time to show, and to scroll through, an alarm list of 10,000 active alarms in Chromium,
 * against a real runtime. The peer, measured in the same browser in the same run, is a plain static
 * HTML table with the same 10,000 rows and columns (no framework, no live updates).
 */
import { chromium, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/support/chromium.js';
import type { StatusResponse } from '../shared/protocol/api.js';
import { getJson, removeDir, startRuntimeProcess, tempDir, waitFor } from '../test/support/runtime-process.js';
import { median, percentile, writeResults } from './results-file.js';

const ALARMS = 10_000;
const SCROLL_STEPS = 200;
const PRIORITIES = ['urgent', 'high', 'medium', 'low'] as const;

function alarmProject() {
  const tags = Array.from({ length: ALARMS }, (_, i) => ({
    id: `Unit${Math.floor(i / 100)}.Trip${i % 100}`,
    type: 'boolean',
    driver: 'Sim',
    address: 'constant?value=1',
  }));
  const alarms = tags.map((tag, i) => ({
    id: `${tag.id}.Alarm`,
    tag: tag.id,
    condition: { type: 'binary' },
    text: `Trip ${i} of unit ${Math.floor(i / 100)}`,
    priority: PRIORITIES[i % 4],
  }));
  return { format: 'tandem-project/1', id: 'alarms10k', name: '10,000 alarms', drivers: [{ id: 'Sim', type: 'simulator', settings: { periodMs: 1000 } }], tags, alarms };
}

/**
 * Scrolls an element top to bottom in steps and returns the time from each step to its next painted
 * frame. Written as source text: tsx would wrap a compiled function with helpers the page lacks.
 */
async function scrollFrames(page: Page, selector: string): Promise<number[]> {
  return page.evaluate(`(async () => {
    const element = document.querySelector(${JSON.stringify(selector)});
    const times = [];
    const range = element.scrollHeight - element.clientHeight;
    for (let step = 1; step <= ${SCROLL_STEPS}; step++) {
      const start = performance.now();
      element.scrollTop = (range * step) / ${SCROLL_STEPS};
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      times.push(performance.now() - start);
    }
    return times;
  })()`);
}

function plainTableHtml(): string {
  const rows = Array.from({ length: ALARMS }, (_, i) =>
    `<tr><td>2026-11-26 07:00:00</td><td>${PRIORITIES[i % 4]}</td><td>Active, unack</td><td>Unit${Math.floor(i / 100)}.Trip${i % 100}</td><td>Trip ${i} of unit ${Math.floor(i / 100)}</td><td>on</td><td></td></tr>`,
  ).join('');
  return `<!doctype html><html><body style="margin:0"><div id="list" style="height:100vh;overflow:auto"><table>${rows}</table></div></body></html>`;
}

const dir = tempDir('tandem-bench-ui-');
const projectFile = join(dir, 'alarms10k.json');
writeFileSync(projectFile, JSON.stringify(alarmProject()));
const runtime = await startRuntimeProcess({ args: ['--project', projectFile] });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  await waitFor(async () => {
    const { body } = await getJson<StatusResponse>(`${runtime.url}api/status`);
    return body.projects[0]!.alarmsUnacknowledged === ALARMS ? true : undefined;
  }, 60_000, `${ALARMS} unacknowledged alarms`);
  // The harness evaluates its probes as source text, which the UI's CSP (rightly) forbids to page scripts.
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, bypassCSP: true });

  const showStart = Date.now();
  await page.goto(`${runtime.url}#/alarms`);
  await page.waitForFunction(
    `document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount') === '${ALARMS}' && document.querySelector('[data-testid="alarm-row"]') !== null`,
    undefined,
    { timeout: 60_000 },
  );
  const showMs = Date.now() - showStart;
  const frames = await scrollFrames(page, '[role="grid"]');

  const peer = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const peerStart = Date.now();
  await peer.setContent(plainTableHtml());
  await peer.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  const peerShowMs = Date.now() - peerStart;
  const peerFrames = await scrollFrames(peer, '#list');

  writeResults('ui-alarm-list', {
    alarms: ALARMS,
    showMs,
    scrollFrameMsP50: Number(median(frames).toFixed(1)),
    scrollFrameMsP99: Number(percentile(frames, 99).toFixed(1)),
    plainTableShowMs: peerShowMs,
    plainTableScrollFrameMsP50: Number(median(peerFrames).toFixed(1)),
    plainTableScrollFrameMsP99: Number(percentile(peerFrames, 99).toFixed(1)),
    showRatioToPlainTable: Number((showMs / peerShowMs).toFixed(2)),
    scrollP99RatioToPlainTable: Number((percentile(frames, 99) / percentile(peerFrames, 99)).toFixed(2)),
  });
} finally {
  await browser.close();
  await runtime.stop();
  removeDir(dir);
  removeDir(runtime.dataDir);
}
