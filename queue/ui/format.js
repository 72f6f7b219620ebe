// How numbers, ages and rates are written on the page.

export const DASH = '—';

export function count(value) {
  return typeof value === 'number' ? value.toLocaleString('en-US') : DASH;
}

// Seconds as "42 s", "3 min", "2 h 5 min", "3 d 4 h".
export function age(seconds) {
  if (typeof seconds !== 'number') return DASH;
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

// Messages per second, or the dash while unknown.
export function rate(perSecond) {
  if (typeof perSecond !== 'number' || !Number.isFinite(perSecond)) return DASH;
  return `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond).toLocaleString('en-US')}/s`;
}

export function depth(stats) {
  return (stats.visible ?? 0) + (stats.in_flight ?? 0) + (stats.delayed ?? 0);
}
