import { dismissBanner, useBanners } from '../../stores/banner-store.js';

/** Non-modal: errors never block the alarm list. */
export function BannerStrip() {
  const banners = useBanners((s) => s.banners);
  if (banners.length === 0) return null;
  return (
    <div className="banners" role="alert">
      {banners.map((banner) => (
        <div key={banner.id} className="banner">
          <span>{banner.text}</span>
          {banner.retry ? (
            <button
              type="button"
              onClick={() => {
                dismissBanner(banner.id);
                banner.retry?.();
              }}
            >
              Retry
            </button>
          ) : null}
          <button type="button" aria-label="Dismiss" onClick={() => dismissBanner(banner.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
