import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

/** Older banners are dropped past this, so a burst of failures cannot bury the screen. */
const BANNERS_MAX = 4;

export interface Banner {
  id: number;
  text: string;
  /** Repeats the failed action with the same request id, so a retry can never apply twice. */
  retry?: () => void;
}

export interface BannerState {
  banners: readonly Banner[];
}

export const bannerStore = createStore<BannerState>()(() => ({ banners: [] }));

let nextBannerId = 1;

export function useBanners<T>(selector: (state: BannerState) => T): T {
  return useStore(bannerStore, selector);
}

export function resetBannerStore(): void {
  bannerStore.setState({ banners: [] }, true);
}

/** Shows a banner (replacing one with the same text) and returns its id for `dismissBanner`. */
export function showBanner(text: string, retry?: () => void): number {
  const banner: Banner = { id: nextBannerId++, text, retry };
  const held = bannerStore.getState().banners.filter((b) => b.text !== text);
  bannerStore.setState({ banners: [...held, banner].slice(-BANNERS_MAX) });
  return banner.id;
}

export function dismissBanner(id: number): void {
  bannerStore.setState({ banners: bannerStore.getState().banners.filter((b) => b.id !== id) });
}
