export interface VirtualWindow {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** Where the first rendered row sits, in px from the top of the full list. */
  offsetPx: number;
  totalPx: number;
}

/** The rows a fixed-row-height list must render to fill its viewport, with a few spare each side. */
export function virtualWindow(
  count: number,
  rowHeightPx: number,
  scrollTopPx: number,
  viewportPx: number,
  overscanRows = 8,
): VirtualWindow {
  const totalPx = count * rowHeightPx;
  const maxScroll = Math.max(0, totalPx - viewportPx);
  const top = Math.min(Math.max(scrollTopPx, 0), maxScroll);
  const firstVisible = Math.floor(top / rowHeightPx);
  const visibleRows = Math.ceil(Math.max(viewportPx, 0) / rowHeightPx) + 1;
  const start = Math.max(0, firstVisible - overscanRows);
  const end = Math.min(count, firstVisible + visibleRows + overscanRows);
  return { start, end: Math.max(start, end), offsetPx: start * rowHeightPx, totalPx };
}

/** The scroll position that shows row `index` while moving as little as possible. */
export function revealScrollTop(index: number, rowHeightPx: number, scrollTopPx: number, viewportPx: number): number {
  const rowTop = index * rowHeightPx;
  const rowBottom = rowTop + rowHeightPx;
  if (rowTop < scrollTopPx) return rowTop;
  if (rowBottom > scrollTopPx + viewportPx) return Math.max(0, rowBottom - viewportPx);
  return scrollTopPx;
}

/** Rows a PageUp/PageDown moves by. */
export function rowsPerPage(rowHeightPx: number, viewportPx: number): number {
  return Math.max(1, Math.floor(viewportPx / rowHeightPx) - 1);
}
