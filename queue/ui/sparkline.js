// A throughput sparkline as inline SVG: one polyline per series over the same time axis.
import { svg } from './dom.js';

const WIDTH = 240;
const HEIGHT = 48;

// series: [{values: number[], className: string, label: string}]
export function sparkline(series, title) {
  const longest = Math.max(2, ...series.map((s) => s.values.length));
  const top = Math.max(1e-9, ...series.flatMap((s) => s.values));
  const x = (i) => (i / (longest - 1)) * WIDTH;
  const y = (v) => HEIGHT - 2 - (v / top) * (HEIGHT - 4);
  return svg('svg', { class: 'sparkline', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title },
    svg('title', {}, title),
    svg('line', { class: 'axis', x1: 0, y1: HEIGHT - 1, x2: WIDTH, y2: HEIGHT - 1 }),
    series.map((s) => {
      const offset = longest - s.values.length;  // right-aligned: the newest point is at the right edge
      const points = s.values.map((v, i) => `${x(i + offset).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      return svg('polyline', { class: s.className, points, 'data-series': s.label });
    }));
}
