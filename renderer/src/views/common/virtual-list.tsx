import { useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { revealScrollTop, virtualWindow } from './virtual-window.js';

export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeightPx: number;
  itemKey(item: T): string;
  renderRow(item: T, index: number): ReactNode;
  /** A row to bring into view (keyboard focus)... */
  revealIndex?: number | null;
  /** ...each time this changes, so live re-sorts do not pull the view back to the focused row. */
  revealToken?: number;
  /** Lets the owner give the list keyboard focus back after a panel closes. */
  elementRef?: RefObject<HTMLDivElement | null>;
  /** Keep the rows the operator is reading in place when live rows arrive or leave above them. */
  holdPosition?: boolean;
  /** A new value (another sort or filter) shows the list from its top instead. */
  resetKey?: string;
  onKeyDown?(event: KeyboardEvent<HTMLDivElement>, viewportPx: number): void;
  className?: string;
  label: string;
  empty?: ReactNode;
}

/** A list that renders only the rows in view, so 10,000 rows cost what 40 do. */
export function VirtualList<T>(props: VirtualListProps<T>) {
  const { items, rowHeightPx, itemKey } = props;
  const scroller = useRef<HTMLDivElement>(null);
  // Only the first visible row decides what renders, so scrolling within a row costs no render.
  const [firstRow, setFirstRow] = useState(0);
  const [viewportPx, setViewportPx] = useState(0);
  const heldTop = useRef<{ key: string; index: number } | null>(null);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewportPx(element.clientHeight));
    observer.observe(element);
    setViewportPx(element.clientHeight);
    return () => observer.disconnect();
  }, []);

  const onScrolled = (element: HTMLDivElement) => {
    const index = Math.floor(element.scrollTop / rowHeightPx);
    setFirstRow(index);
    if (props.holdPosition) heldTop.current = index < items.length ? { key: itemKey(items[index]!), index } : null;
  };

  const shownResetKey = useRef(props.resetKey);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const held = heldTop.current;
    if (shownResetKey.current !== props.resetKey) {
      shownResetKey.current = props.resetKey;
      element.scrollTop = 0;
    } else if (props.holdPosition && held !== null && element.scrollTop > 0) {
      const now = indexOfKey(items, itemKey, held.key, held.index);
      if (now !== -1 && now !== held.index) element.scrollTop += (now - held.index) * rowHeightPx;
    }
    onScrolled(element);
  }, [items, itemKey, rowHeightPx, props.holdPosition, props.resetKey]);

  const revealIndex = useRef(props.revealIndex);
  revealIndex.current = props.revealIndex;
  useLayoutEffect(() => {
    const element = scroller.current;
    const index = revealIndex.current;
    if (!element || index === null || index === undefined || props.revealToken === undefined) return;
    const target = revealScrollTop(index, rowHeightPx, element.scrollTop, element.clientHeight);
    if (target !== element.scrollTop) {
      element.scrollTop = target;
      onScrolled(element);
    }
  }, [props.revealToken, rowHeightPx]);

  const visible = virtualWindow(items.length, rowHeightPx, firstRow * rowHeightPx, viewportPx);

  const rows: ReactNode[] = [];
  for (let index = visible.start; index < visible.end; index++) rows.push(props.renderRow(items[index]!, index));

  return (
    <div
      ref={(element) => {
        scroller.current = element;
        if (props.elementRef) props.elementRef.current = element;
      }}
      className={`vlist ${props.className ?? ''}`}
      role="grid"
      aria-label={props.label}
      aria-rowcount={items.length}
      tabIndex={0}
      onScroll={(event) => onScrolled(event.currentTarget)}
      onKeyDown={(event) => props.onKeyDown?.(event, viewportPx)}
    >
      {items.length === 0 && props.empty ? <div className="vlist-empty">{props.empty}</div> : null}
      <div className="vlist-space" style={{ height: visible.totalPx }}>
        <div className="vlist-rows" style={{ transform: `translateY(${visible.offsetPx}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}

/** Looks near the old index first: live changes move a row by a few places, not across the list. */
function indexOfKey<T>(items: readonly T[], itemKey: (item: T) => string, key: string, near: number): number {
  for (let offset = 0; offset < 64; offset++) {
    for (const index of [near + offset, near - offset]) {
      if (index >= 0 && index < items.length && itemKey(items[index]!) === key) return index;
    }
  }
  return items.findIndex((item) => itemKey(item) === key);
}
