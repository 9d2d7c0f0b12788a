// chart.js - the dashboard's charts, drawn with uPlot (installed from the
// lock file, served from the binary as /assets/uPlot.esm.js).
//
// TimeChart draws one line per series against time; it resizes with its
// container and is rebuilt only when the set of series changes, so a wall
// that refreshes every 30 s does not flicker.  Axis text scales with the
// page's root font size (readable on a 4K wall).

import uPlot from '/assets/uPlot.esm.js';
import { safeColor } from './dom.js';
import { lang } from './i18n.js';

// timeLabels(u, splits) writes the time axis in the page's language: hours
// and minutes for a span of up to two days, else the day and month.
function timeLabels(u, splits) {
	const span = splits.length > 1 ? splits[splits.length - 1] - splits[0] : 0;
	const locale = lang() === 'de' ? 'de-DE' : 'en-GB';
	const opts = span > 2 * 86400 ? { day: 'numeric', month: 'short', timeZone: 'UTC' }
		: { hour: '2-digit', minute: '2-digit' };
	return splits.map((x) => new Date(x * 1000).toLocaleString(locale, opts));
}

function remPx() {
	return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

// withAlpha(color) returns the colour as #rrggbb99, a see-through fill.
function withAlpha(color) {
	let c = safeColor(color, '#5aa9ff');
	if (c.length === 4)
		c = '#' + c[1] + c[1] + c[2] + c[2] + c[3] + c[3];
	return c.length === 7 ? c + '99' : c;
}

function axis() {
	const px = Math.round(remPx() * 0.8);
	return {
		stroke: '#a0a6b0',
		font: `${px}px system-ui, sans-serif`,
		size: px * 3.2,
		grid: { stroke: '#2c313c', width: 1 },
		ticks: { stroke: '#2c313c', width: 1 },
	};
}

export class TimeChart {
	// container: the element to draw in; opts.bars draws bars instead of
	// lines; opts.legend shows uPlot's legend.
	constructor(container, opts = {}) {
		this.container = container;
		this.opts = opts;
		this.plot = null;
		this.key = '';
		this.px = 0;
		this.last = null;
		this.observer = new ResizeObserver(() => this.resize());
		this.observer.observe(container);
	}

	size() {
		const r = this.container.getBoundingClientRect();
		const legend = this.opts.legend ? remPx() * 2.2 : 0;
		return { width: Math.max(100, Math.floor(r.width)), height: Math.max(80, Math.floor(r.height - legend)) };
	}

	// resize() follows the container; when the root font size changed (the
	// window moved to a bigger screen) the chart is drawn anew with larger
	// axis text.
	resize() {
		if (!this.plot)
			return;
		if (remPx() !== this.px && this.last) {
			this.key = '';
			this.update(...this.last);
			return;
		}
		this.plot.setSize(this.size());
	}

	// update(xs, series) draws xs (seconds since 1970) against each series
	// {label, color, values}.  Returns nothing.
	update(xs, series) {
		this.last = [xs, series];
		const key = series.map((s) => s.label + '\u0000' + s.color).join('\u0001');
		const data = [xs, ...series.map((s) => s.values)];
		if (this.plot && key === this.key) {
			this.plot.setData(data);
			return;
		}
		if (this.plot)
			this.plot.destroy();
		this.key = key;
		const px = remPx();
		this.px = px;
		const paths = this.opts.bars ? uPlot.paths.bars({ size: [0.7, 100] }) : undefined;
		this.plot = new uPlot({
			...this.size(),
			legend: { show: !!this.opts.legend },
			cursor: { show: !!this.opts.legend, drag: { x: false, y: false } },
			scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
			// space: the least distance between two labels, in pixels.
			axes: [{ ...axis(), size: px * 2.4, space: px * 5, values: timeLabels },
				{ ...axis(), space: px * 2 }],
			series: [{}, ...series.map((s) => ({
				label: s.label,
				stroke: safeColor(s.color, '#5aa9ff'),
				fill: this.opts.bars ? withAlpha(s.color) : undefined,
				width: Math.max(2, px / 6),
				paths,
				points: { show: false },
			}))],
		}, data, this.container);
	}

	destroy() {
		this.observer.disconnect();
		if (this.plot)
			this.plot.destroy();
		this.plot = null;
	}
}
