import type uPlot from 'uplot';
import { formatDateTimeMs, formatNumber } from '../common/format.js';
import { axisWidthPx, timeTickLabels, valueTickLabels } from './trend-axes.js';

export interface TrendPen {
  tag: string;
  label: string;
  unit: string;
  color: string;
}

/** Dark, muted pens: saturated red, orange, yellow and cyan mean alarms on this screen (ISA-101). */
export const PEN_COLORS = ['#1f3f66', '#6b4423', '#2d5a37', '#54397a', '#5c5c1f', '#2b5b5e', '#6e2f4f', '#404040'];

export interface PlotCallbacks {
  /** The x range to draw, read at every redraw so a live window can move without new options. */
  xRange(): [number, number];
  onZoom(from: number, to: number): void;
  onReset(): void;
}

const GRID = { stroke: '#c8c8c8', width: 1 };
const TICKS = { stroke: '#999', width: 1 };
const FONT = '12px system-ui, sans-serif';

/** Pens of one unit share a y scale; the first two units get an axis (left, right), the legend shows the rest. */
export function plotOptions(pens: readonly TrendPen[], band: boolean, size: { width: number; height: number }, callbacks: PlotCallbacks): uPlot.Options {
  const units = [...new Set(pens.map((pen) => pen.unit))];
  const series: uPlot.Series[] = [{ value: (_plot, ms) => (ms == null ? '—' : formatDateTimeMs(ms)) }];
  const bands: uPlot.Band[] = [];
  const bandSeries: number[] = [];
  const scales: uPlot.Scales = { x: { time: true, range: () => callbacks.xRange() } };
  for (const unit of units) scales[scaleKey(unit)] = { auto: true };
  for (const pen of pens) {
    const scale = scaleKey(pen.unit);
    const line = { scale, spanGaps: true, points: { show: false } };
    const avgIndex = series.length;
    series.push({ ...line, label: pen.label, stroke: pen.color, width: 1.5, value: (_plot, v) => (v == null ? '—' : formatNumber(v)) });
    if (band) {
      series.push({ ...line, label: `${pen.tag} min`, stroke: `${pen.color}55`, width: 1 });
      series.push({ ...line, label: `${pen.tag} max`, stroke: `${pen.color}55`, width: 1 });
      bands.push({ series: [avgIndex + 2, avgIndex + 1], fill: `${pen.color}22` });
      bandSeries.push(avgIndex + 1, avgIndex + 2);
    }
  }
  const valueAxes: uPlot.Axis[] = units.slice(0, 2).map((unit, i) => ({
    scale: scaleKey(unit),
    side: i === 0 ? 3 : 1,
    label: unit || undefined,
    labelSize: unit ? 18 : 0,
    stroke: '#333',
    font: FONT,
    grid: i === 0 ? GRID : { show: false },
    ticks: TICKS,
    values: (_plot, ticks) => valueTickLabels(ticks),
    size: (_plot, labels) => axisWidthPx(labels),
  }));
  return {
    ...size,
    ms: 1,
    series,
    bands,
    scales,
    axes: [
      { stroke: '#333', font: FONT, grid: GRID, ticks: TICKS, size: 44, space: 90, values: (_plot, ticks, _i, _space, incr) => timeTickLabels(ticks, incr) },
      ...valueAxes,
    ],
    legend: { show: true, live: true },
    cursor: {
      drag: { x: true, y: false, setScale: false },
      bind: {
        dblclick: (_self, _target, handler) => (event) => {
          callbacks.onReset();
          return handler(event);
        },
      },
    },
    hooks: {
      // Min and max pens belong to their average in the legend; listing them too only crowds it.
      init: [
        (plot) => {
          const rows = plot.root.querySelectorAll<HTMLElement>('.u-legend .u-series');
          for (const i of bandSeries) rows[i]?.style.setProperty('display', 'none');
        },
      ],
      setSelect: [
        (plot) => {
          const { left, width } = plot.select;
          if (width < 3) return;
          callbacks.onZoom(plot.posToVal(left, 'x'), plot.posToVal(left + width, 'x'));
          plot.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        },
      ],
    },
  };
}

function scaleKey(unit: string): string {
  return `unit:${unit}`;
}
