import uPlot from 'uplot';
import type { Sample } from '../../../../shared/protocol/entities.js';
import { serverNow } from '../../stores/connection-store.js';
import { subscribeSamples } from '../../stores/sample-bus.js';
import { createFlushScheduler } from '../../transport/flush-scheduler.js';
import { errorText } from '../../transport/http.js';
import { loadHistory } from './trend-history.js';
import { plotOptions, type TrendPen } from './trend-plot-options.js';
import { alignDown, alignSeries, appendSamples, chooseBucketMs, emptySeries, pointsWithin, trimBefore, type TrendSeries } from './trend-series.js';

/** Live charts redraw at most this often; the eye gains nothing from more. */
const REDRAW_INTERVAL_MIN_MS = 100;
/** A live window moves even when no sample arrives (a value that does not change is not resent). */
const LIVE_TICK_MS = 1_000;
/** Room for a one-line legend until the real one can be measured. */
const LEGEND_ALLOWANCE_PX = 34;

export type TrendWindow = { live: true; rangeMs: number } | { live: false; from: number; to: number };

export interface TrendControllerOptions {
  container: HTMLElement;
  projectId: string;
  pens: readonly TrendPen[];
  band: boolean;
  onZoom(from: number, to: number): void;
  onReset(): void;
  onNotice(text: string | null): void;
}

export interface TrendController {
  show(next: TrendWindow): void;
  resize(): void;
  destroy(): void;
}

/** Owns one uPlot chart: loads history, appends live samples, redraws, all outside React. */
export function createTrendController(options: TrendControllerOptions): TrendController {
  const { container, pens, band } = options;
  const tags = new Set(pens.map((pen) => pen.tag));
  let shown: TrendWindow = { live: true, rangeMs: 5 * 60_000 };
  let range: [number, number] = [0, 1];
  let series = new Map<string, TrendSeries>();
  /** Live samples that arrive while history loads; applied after it, so nothing is drawn twice or lost. */
  let heldBack: Sample[] | null = null;
  let loading: AbortController | null = null;

  const currentRange = (): [number, number] => {
    if (!shown.live) return [shown.from, shown.to];
    const now = serverNow();
    return [now - shown.rangeMs, now];
  };

  const size = (legendPx = LEGEND_ALLOWANCE_PX) => ({
    width: Math.max(200, container.clientWidth),
    height: Math.max(120, container.clientHeight - legendPx),
  });

  const plot = new uPlot(
    plotOptions(pens, band, size(), { xRange: () => range, onZoom: options.onZoom, onReset: options.onReset }),
    alignSeries([], band) as uPlot.AlignedData,
    container,
  );

  const draw = () => {
    range = currentRange();
    if (shown.live) for (const s of series.values()) trimBefore(s, range[0]);
    const ordered = pens.map((pen) => series.get(pen.tag) ?? emptySeries(null));
    plot.setData(alignSeries(ordered, band) as uPlot.AlignedData);
    const points = ordered.reduce((sum, s) => sum + pointsWithin(s, range[0], range[1]), 0);
    container.dataset.points = String(points);
  };
  const redraw = createFlushScheduler(draw, REDRAW_INTERVAL_MIN_MS);

  const unsubscribe = subscribeSamples((samples) => {
    if (!shown.live) return;
    const mine = samples.filter((sample) => tags.has(sample.tag));
    if (mine.length === 0) return;
    if (heldBack !== null) {
      heldBack.push(...mine);
      return;
    }
    appendByTag(series, mine);
    redraw.request();
  });
  const tick = setInterval(() => {
    if (shown.live) redraw.request();
  }, LIVE_TICK_MS);

  const load = async () => {
    loading?.abort();
    const controller = new AbortController();
    loading = controller;
    const [from, to] = currentRange();
    const bucketMs = chooseBucketMs(to - from);
    heldBack = shown.live ? [] : null;
    options.onNotice(null);
    const results = await Promise.allSettled(
      pens.map((pen) => loadHistory(options.projectId, pen.tag, alignDown(from, bucketMs), to, bucketMs, controller.signal)),
    );
    if (controller.signal.aborted) return;
    const loaded = new Map<string, TrendSeries>();
    const notices: string[] = [];
    results.forEach((result, i) => {
      const tag = pens[i]!.tag;
      if (result.status === 'fulfilled') {
        loaded.set(tag, result.value.series);
        if (result.value.truncated) notices.push(`History of ${tag} is cut short: pick a shorter range.`);
      } else {
        loaded.set(tag, emptySeries(bucketMs));
        notices.push(`History of ${tag} could not be loaded: ${errorText(result.reason)}`);
      }
    });
    series = loaded;
    if (heldBack !== null) appendByTag(series, heldBack);
    heldBack = null;
    options.onNotice(notices.length > 0 ? notices.join(' ') : null);
    redraw.flushNow();
  };

  return {
    show(next) {
      shown = next;
      series = new Map();
      draw();
      void load();
    },
    resize() {
      const legend = plot.root.querySelector<HTMLElement>('.u-legend');
      plot.setSize(size(legend ? legend.offsetHeight + 8 : LEGEND_ALLOWANCE_PX));
    },
    destroy() {
      loading?.abort();
      unsubscribe();
      clearInterval(tick);
      redraw.stop();
      plot.destroy();
    },
  };
}

function appendByTag(series: Map<string, TrendSeries>, samples: readonly Sample[]): void {
  const byTag = new Map<string, Sample[]>();
  for (const sample of samples) {
    const list = byTag.get(sample.tag);
    if (list) list.push(sample);
    else byTag.set(sample.tag, [sample]);
  }
  for (const [tag, list] of byTag) {
    const target = series.get(tag);
    if (target) appendSamples(target, list.sort((a, b) => a.t - b.t));
  }
}
