import { useEffect, useRef, useState } from 'react';
import 'uplot/dist/uPlot.min.css';
import { createTrendController, type TrendController, type TrendWindow } from './trend-controller.js';
import type { TrendPen } from './trend-plot-options.js';
import { presetMs, zoomTrend, type RangePresetId, type TimeRange } from './trend-view-store.js';

export interface TrendChartProps {
  projectId: string;
  pens: readonly TrendPen[];
  band: boolean;
  preset: RangePresetId;
  zoom: TimeRange | null;
}

export function TrendChart({ projectId, pens, band, preset, zoom }: TrendChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const controller = useRef<TrendController | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const penKey = pens.map((pen) => `${pen.tag}|${pen.unit}|${pen.color}`).join(',');
  const trendWindow: TrendWindow = zoom ? { live: false, ...zoom } : { live: true, rangeMs: presetMs(preset) };
  const windowKey = JSON.stringify(trendWindow);
  const latestWindow = useRef(trendWindow);
  const shownKey = useRef<string | null>(null);
  latestWindow.current = trendWindow;

  useEffect(() => {
    const element = container.current;
    if (!element || pens.length === 0) return;
    const created = createTrendController({
      container: element,
      projectId,
      pens,
      band,
      onZoom: (from, to) => zoomTrend({ from, to }),
      onReset: () => zoomTrend(null),
      onNotice: setNotice,
    });
    controller.current = created;
    created.show(latestWindow.current);
    shownKey.current = JSON.stringify(latestWindow.current);
    const observer = new ResizeObserver(() => created.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      created.destroy();
      controller.current = null;
      element.dataset.points = '0';
    };
    // Pens count as changed by content (penKey), so a re-render with equal pens keeps the chart.
  }, [projectId, penKey, band]);

  useEffect(() => {
    if (shownKey.current === windowKey) return;
    shownKey.current = windowKey;
    controller.current?.show(latestWindow.current);
  }, [windowKey]);

  return (
    <div className="trend-chart-wrap">
      {notice ? <div className="notice">{notice}</div> : null}
      <div ref={container} className="trend-chart" data-testid="trend-chart" data-points="0">
        {pens.length === 0 ? <div className="placeholder">Pick one or more tags to draw.</div> : null}
      </div>
    </div>
  );
}
