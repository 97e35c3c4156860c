/* chart_canvas: antialiased drawing on a libgd truecolor image.
 *
 * libgd antialiases only one-pixel lines, so shapes go through a small rasterizer of
 * our own: every edge of a shape adds the exact signed area it sweeps to a grid of
 * cells; a running sum along each row then gives each pixel's coverage, which blends
 * the colour into the image. A thick line becomes a union of convex pieces (one quad
 * per segment, a round wedge on the outer side of each join, half discs at the ends),
 * all wound the same way so overlaps add up and the coverage is clamped at one.
 *
 * Text goes through chart_text (FreeType, antialiased, each glyph rendered once), where a
 * font size is a pixel size. The first failure (a font that cannot be opened) is kept in
 * the canvas, later drawing is skipped, and the render turns it into an error.
 *
 * Coordinates given to the cv_* functions are design units; the canvas multiplies by
 * its scale. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart_internal.h"
#include "report/chart_text.h"
#include "report/png_encode.h"
#include "util/xalloc.h"

#define PI 3.14159265358979323846
#define COORD_LIMIT 1e6 /* device coordinates are clamped here before rasterizing */

struct rect rect_make(double x, double y, double w, double h)
{
	struct rect r = {x, y, w > 0 ? w : 0, h > 0 ? h : 0};
	return r;
}

int cv_narrow(const struct canvas *cv)
{
	return cv->width < NARROW_WIDTH;
}

int canvas_init(struct canvas *cv, double width, double height, double scale,
		const char *font, const char *bold_font, struct error *err)
{
	memset(cv, 0, sizeof *cv);
	cv->scale = scale;
	cv->width = width;
	cv->height = height;
	cv->font = font;
	cv->bold_font = bold_font;
	cv->dev_w = (int)lround(width * scale);
	cv->dev_h = (int)lround(height * scale);
	cv->im = gdImageCreateTrueColor(cv->dev_w, cv->dev_h);
	if (!cv->im)
		return error_set(err, ERR_SYSTEM, "cannot allocate a %dx%d image", cv->dev_w,
				 cv->dev_h);
	int white = gdTrueColorAlpha(255, 255, 255, 0);
	for (int y = 0; y < cv->dev_h; y++)
		for (int x = 0; x < cv->dev_w; x++)
			cv->im->tpixels[y][x] = white;
	gdImageAlphaBlending(cv->im, 1);
	gdImageSaveAlpha(cv->im, 0);
	/* Zeroed a row at a time as edges reach it: cells read before they are first
	 * written would fault twice, and the rows no shape reaches are never touched. */
	cv->cover = xmalloc((size_t)(cv->dev_w + 2) * (size_t)cv->dev_h * sizeof *cv->cover);
	cv->row_zeroed = xcalloc((size_t)cv->dev_h, 1);
	cv->box_x0 = cv->dev_w + 2;
	cv->box_y0 = cv->dev_h;
	return 0;
}

void canvas_free(struct canvas *cv)
{
	if (cv->im)
		gdImageDestroy(cv->im);
	free(cv->cover);
	free(cv->row_zeroed);
	cv->im = NULL;
	cv->cover = NULL;
	cv->row_zeroed = NULL;
}

int canvas_png(struct canvas *cv, struct buf *png, struct error *err)
{
	return png_encode(cv->im, png, err);
}

/* ---- rasterizer ---- */

/* Adds d of coverage for a piece of edge in row `row` whose mean x is x: the part of
 * the pixel right of x is covered, and so is every pixel further right. */
static void cell_add(struct canvas *cv, int row, double x, double d)
{
	int col = (int)floor(x);
	if (col < 0)
		col = 0, x = 0;
	assert(col <= cv->dev_w);
	double frac = x - col;
	float *cells = cv->cover + (size_t)row * (size_t)(cv->dev_w + 2);
	cells[col] += (float)(d * (1.0 - frac));
	cells[col + 1] += (float)(d * frac);
	if (col < cv->box_x0)
		cv->box_x0 = col;
	if (col + 2 > cv->box_x1)
		cv->box_x1 = col + 2;
}

/* One edge piece inside a pixel row: from xa to xb (any order), signed height d. */
static void row_piece(struct canvas *cv, int row, double xa, double xb, double d)
{
	if (xa > xb) {
		double t = xa;
		xa = xb;
		xb = t;
	}
	double w = cv->dev_w;
	double span = xb - xa;
	if (!cv->row_zeroed[row]) {
		memset(cv->cover + (size_t)row * (size_t)(cv->dev_w + 2), 0,
		       (size_t)(cv->dev_w + 2) * sizeof *cv->cover);
		cv->row_zeroed[row] = 1;
	}
	if (row < cv->box_y0)
		cv->box_y0 = row;
	if (row + 1 > cv->box_y1)
		cv->box_y1 = row + 1;
	if (span < 1e-9) {
		if (xa < w)
			cell_add(cv, row, xa < 0 ? 0 : xa, d);
		return;
	}
	if (xa < 0) {
		double stop = xb < 0 ? xb : 0;
		cell_add(cv, row, 0, d * (stop - xa) / span);
		if (xb <= 0)
			return;
	}
	double from = xa > 0 ? xa : 0, to = xb < w ? xb : w;
	while (from < to) {
		double next = floor(from) + 1;
		if (next > to)
			next = to;
		cell_add(cv, row, 0.5 * (from + next), d * (next - from) / span);
		from = next;
	}
}

static double clamp_coord(double v)
{
	if (v < -COORD_LIMIT)
		return -COORD_LIMIT;
	if (v > COORD_LIMIT)
		return COORD_LIMIT;
	return v;
}

/* Adds one edge, device coordinates. Edges going down add, edges going up subtract. */
static void add_edge(struct canvas *cv, double x0, double y0, double x1, double y1)
{
	if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1))
		return;
	x0 = clamp_coord(x0), y0 = clamp_coord(y0);
	x1 = clamp_coord(x1), y1 = clamp_coord(y1);
	if (y0 == y1)
		return;
	double dir = 1;
	if (y0 > y1) {
		double t = x0;
		x0 = x1, x1 = t;
		t = y0;
		y0 = y1, y1 = t;
		dir = -1;
	}
	double h = cv->dev_h;
	if (y1 <= 0 || y0 >= h)
		return;
	double dxdy = (x1 - x0) / (y1 - y0);
	if (y0 < 0) {
		x0 += (0 - y0) * dxdy;
		y0 = 0;
	}
	if (y1 > h) {
		x1 -= (y1 - h) * dxdy;
		y1 = h;
	}
	int row_end = (int)ceil(y1);
	for (int row = (int)floor(y0); row < row_end; row++) {
		double ya = y0 > row ? y0 : row;
		double yb = y1 < row + 1 ? y1 : row + 1;
		if (yb <= ya)
			continue;
		double xa = x0 + (ya - y0) * dxdy;
		double xb = x0 + (yb - y0) * dxdy;
		row_piece(cv, row, xa, xb, (yb - ya) * dir);
	}
}

static double polygon_area(const double *xy, size_t n)
{
	double a = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = (i + 1) % n;
		a += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
	}
	return a / 2;
}

/* Adds a closed polygon (device coordinates) as it is wound. */
static void add_polygon(struct canvas *cv, const double *xy, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = (i + 1) % n;
		add_edge(cv, xy[2 * i], xy[2 * i + 1], xy[2 * j], xy[2 * j + 1]);
	}
}

/* Adds a convex piece of a union, wound clockwise on screen whatever its input order,
 * so overlapping pieces add up instead of cancelling. */
static void add_piece(struct canvas *cv, const double *xy, size_t n)
{
	if (polygon_area(xy, n) >= 0) {
		add_polygon(cv, xy, n);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t a = n - 1 - i, b = (2 * n - 2 - i) % n;
		add_edge(cv, xy[2 * a], xy[2 * a + 1], xy[2 * b], xy[2 * b + 1]);
	}
}

/* Blends c over the pixel with opacity cov (0..1). */
static void blend(int *pixel, struct rgba c, double cov)
{
	int a = (int)(cov * c.a + 0.5); /* 0..255 */
	if (a <= 0)
		return;
	int p = *pixel;
	int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
	r = (r * (255 - a) + c.r * a + 127) / 255;
	g = (g * (255 - a) + c.g * a + 127) / 255;
	b = (b * (255 - a) + c.b * a + 127) / 255;
	*pixel = gdTrueColorAlpha(r, g, b, 0);
}

/* Paints the shape accumulated so far in colour c and clears the cells. */
static void fill_cells(struct canvas *cv, struct rgba c)
{
	size_t stride = (size_t)(cv->dev_w + 2);
	int x1 = cv->box_x1 < cv->dev_w + 2 ? cv->box_x1 : cv->dev_w + 2;
	for (int y = cv->box_y0; y < cv->box_y1; y++) {
		if (!cv->row_zeroed[y])
			continue; /* no edge crossed it: no coverage */
		float *cells = cv->cover + (size_t)y * stride;
		int *row = cv->im->tpixels[y];
		double sum = 0;
		for (int x = cv->box_x0; x < x1; x++) {
			sum += cells[x];
			cells[x] = 0;
			if (x >= cv->dev_w)
				continue;
			double cov = fabs(sum);
			if (cov < 0.002)
				continue;
			blend(&row[x], c, cov > 0.998 ? 1.0 : cov);
		}
	}
	cv->box_x0 = cv->dev_w + 2;
	cv->box_y0 = cv->dev_h;
	cv->box_x1 = cv->box_y1 = 0;
}

/* ---- shapes ---- */

void cv_fill_polygon(struct canvas *cv, const double *xy, size_t n, struct rgba c)
{
	if (n < 3 || cv->failed)
		return;
	double *dev = xmalloc(2 * n * sizeof *dev);
	for (size_t i = 0; i < 2 * n; i++)
		dev[i] = xy[i] * cv->scale;
	add_polygon(cv, dev, n);
	free(dev);
	fill_cells(cv, c);
}

void cv_fill_rect(struct canvas *cv, double x, double y, double w, double h, struct rgba c)
{
	if (!(w > 0) || !(h > 0))
		return;
	double xy[8] = {x, y, x + w, y, x + w, y + h, x, y + h};
	cv_fill_polygon(cv, xy, 4, c);
}

/* Rounds a span [a, b) of design units to device pixels, at least one pixel wide. */
static void snap_span(double a, double b, double scale, int *lo, int *hi)
{
	*lo = (int)lround(clamp_coord(a * scale));
	*hi = (int)lround(clamp_coord(b * scale));
	if (*hi <= *lo)
		*hi = *lo + 1;
}

/* Fills device pixels [x0, x1) x [y0, y1), clipped to the image. */
static void fill_device_rect(struct canvas *cv, int x0, int y0, int x1, int y1, struct rgba c)
{
	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > cv->dev_w)
		x1 = cv->dev_w;
	if (y1 > cv->dev_h)
		y1 = cv->dev_h;
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++)
			blend(&cv->im->tpixels[y][x], c, 1.0);
}

void cv_fill_rect_crisp(struct canvas *cv, double x, double y, double w, double h,
			struct rgba c)
{
	if (!(w > 0) || !(h > 0) || cv->failed)
		return;
	int x0, x1, y0, y1;
	snap_span(x, x + w, cv->scale, &x0, &x1);
	snap_span(y, y + h, cv->scale, &y0, &y1);
	fill_device_rect(cv, x0, y0, x1, y1, c);
}

void cv_fill_tile(struct canvas *cv, struct rect r, double gap, struct rgba c)
{
	if (cv->failed || !(r.w > 0) || !(r.h > 0))
		return;
	int x0, x1, y0, y1, g = (int)lround(gap * cv->scale);
	snap_span(r.x, r.x + r.w, cv->scale, &x0, &x1);
	snap_span(r.y, r.y + r.h, cv->scale, &y0, &y1);
	if (x1 - x0 > g)
		x1 -= g;
	if (y1 - y0 > g)
		y1 -= g;
	fill_device_rect(cv, x0, y0, x1, y1, c);
}

void cv_hline(struct canvas *cv, double x0, double x1, double y, double width, struct rgba c)
{
	if (cv->failed || !isfinite(y))
		return;
	int t = (int)lround(width * cv->scale);
	if (t < 1)
		t = 1;
	int top = (int)floor(clamp_coord(y * cv->scale) - t / 2.0 + 0.5);
	int a, b;
	snap_span(x0, x1, cv->scale, &a, &b);
	fill_device_rect(cv, a, top, b, top + t, c);
}

void cv_vline(struct canvas *cv, double x, double y0, double y1, double width, struct rgba c)
{
	if (cv->failed || !isfinite(x))
		return;
	int t = (int)lround(width * cv->scale);
	if (t < 1)
		t = 1;
	int left = (int)floor(clamp_coord(x * cv->scale) - t / 2.0 + 0.5);
	int a, b;
	snap_span(y0, y1, cv->scale, &a, &b);
	fill_device_rect(cv, left, a, left + t, b, c);
}

/* Number of straight pieces for an arc of radius r (device) over angle sweep. */
static int arc_steps(double r, double sweep)
{
	double n = ceil(fabs(sweep) * r / 1.5);
	if (n < 3)
		n = 3;
	if (n > 256)
		n = 256;
	return (int)n;
}

/* Appends points of a circle arc around (cx, cy), device units, angles in the screen's
 * mathematical sense (x = cos, y = sin), from a0 to a1 inclusive. */
static size_t arc_points(double *xy, double cx, double cy, double r, double a0, double a1,
			 int steps)
{
	for (int i = 0; i <= steps; i++) {
		double a = a0 + (a1 - a0) * i / steps;
		xy[2 * i] = cx + r * cos(a);
		xy[2 * i + 1] = cy + r * sin(a);
	}
	return (size_t)steps + 1;
}

/* Adds a disc (device units) as a union piece. */
static void add_disc(struct canvas *cv, double cx, double cy, double r)
{
	int steps = arc_steps(r, 2 * PI);
	double *xy = xmalloc(2 * (size_t)(steps + 1) * sizeof *xy);
	size_t n = arc_points(xy, cx, cy, r, 0, 2 * PI, steps);
	add_piece(cv, xy, n - 1);
	free(xy);
}

/* Adds the pie slice of radius r around (cx, cy) from angle a0 to a1 (device). */
static void add_wedge(struct canvas *cv, double cx, double cy, double r, double a0, double a1)
{
	int steps = arc_steps(r, a1 - a0);
	double *xy = xmalloc(2 * (size_t)(steps + 2) * sizeof *xy);
	xy[0] = cx;
	xy[1] = cy;
	size_t n = 1 + arc_points(xy + 2, cx, cy, r, a0, a1, steps);
	add_piece(cv, xy, n);
	free(xy);
}

void cv_fill_circle(struct canvas *cv, double cx, double cy, double r, struct rgba c)
{
	if (cv->failed || !(r > 0) || !isfinite(cx) || !isfinite(cy))
		return;
	add_disc(cv, cx * cv->scale, cy * cv->scale, r * cv->scale);
	fill_cells(cv, c);
}

void cv_stroke_circle(struct canvas *cv, double cx, double cy, double r, double width,
		      struct rgba c)
{
	if (cv->failed || !(r > 0) || !isfinite(cx) || !isfinite(cy))
		return;
	double s = cv->scale, outer = (r + width / 2) * s, inner = (r - width / 2) * s;
	int steps = arc_steps(outer, 2 * PI);
	double *xy = xmalloc(2 * (size_t)(steps + 1) * sizeof *xy);
	size_t n = arc_points(xy, cx * s, cy * s, outer, 0, 2 * PI, steps);
	add_polygon(cv, xy, n - 1);
	if (inner > 0) {
		n = arc_points(xy, cx * s, cy * s, inner, 2 * PI, 0, steps);
		add_polygon(cv, xy, n - 1);
	}
	free(xy);
	fill_cells(cv, c);
}

void cv_fill_arc(struct canvas *cv, double cx, double cy, double r_out, double r_in,
		 double a0, double a1, struct rgba c)
{
	if (cv->failed || !(r_out > 0) || !(a1 > a0))
		return;
	double s = cv->scale;
	/* Clockwise from 12 o'clock on screen is the mathematical angle a - pi/2. */
	double m0 = a0 - PI / 2, m1 = a1 - PI / 2;
	int steps = arc_steps(r_out * s, m1 - m0);
	double *xy = xmalloc(4 * (size_t)(steps + 1) * sizeof *xy);
	size_t n = arc_points(xy, cx * s, cy * s, r_out * s, m0, m1, steps);
	if (r_in > 0) {
		n += arc_points(xy + 2 * n, cx * s, cy * s, r_in * s, m1, m0, steps);
	} else {
		xy[2 * n] = cx * s;
		xy[2 * n + 1] = cy * s;
		n++;
	}
	add_polygon(cv, xy, n);
	free(xy);
	fill_cells(cv, c);
}

void cv_fill_round_rect(struct canvas *cv, double x, double y, double w, double h,
			double radius, struct rgba c)
{
	if (cv->failed || !(w > 0) || !(h > 0))
		return;
	if (radius > w / 2)
		radius = w / 2;
	if (radius > h / 2)
		radius = h / 2;
	double s = cv->scale, r = radius * s;
	double x0 = x * s, y0 = y * s, x1 = (x + w) * s, y1 = (y + h) * s;
	int steps = arc_steps(r, PI / 2);
	double *xy = xmalloc(8 * (size_t)(steps + 1) * sizeof *xy);
	size_t n = 0;
	n += arc_points(xy + 2 * n, x1 - r, y0 + r, r, -PI / 2, 0, steps);
	n += arc_points(xy + 2 * n, x1 - r, y1 - r, r, 0, PI / 2, steps);
	n += arc_points(xy + 2 * n, x0 + r, y1 - r, r, PI / 2, PI, steps);
	n += arc_points(xy + 2 * n, x0 + r, y0 + r, r, PI, 3 * PI / 2, steps);
	add_polygon(cv, xy, n);
	free(xy);
	fill_cells(cv, c);
}

/* ---- strokes ---- */

/* Adds the rectangle of half-width hw around segment a-b (device units). */
static void add_segment(struct canvas *cv, double ax, double ay, double bx, double by,
			double hw)
{
	double dx = bx - ax, dy = by - ay, len = hypot(dx, dy);
	if (len <= 0)
		return;
	double nx = -dy / len * hw, ny = dx / len * hw;
	double xy[8] = {ax + nx, ay + ny, bx + nx, by + ny, bx - nx, by - ny, ax - nx, ay - ny};
	add_piece(cv, xy, 4);
}

/* Fills the gap on the outer side of the join at (px, py) between a segment arriving
 * along angle a_in and one leaving along a_out. */
static void add_join(struct canvas *cv, double px, double py, double a_in, double a_out,
		     double hw)
{
	double turn = a_out - a_in;
	while (turn > PI)
		turn -= 2 * PI;
	while (turn < -PI)
		turn += 2 * PI;
	if (fabs(turn) < 1e-3)
		return;
	/* Turning toward +angle, the outer side is at -90 degrees from travel. */
	double side = turn > 0 ? -PI / 2 : PI / 2;
	add_wedge(cv, px, py, hw, a_in + side, a_in + side + turn);
}

/* Adds a stroke along n device points (finite, consecutive duplicates allowed). */
static void add_stroke(struct canvas *cv, const double *xy, size_t n, double hw, int caps)
{
	/* Drop repeated points so every segment has a direction. */
	double *pts = xmalloc(2 * n * sizeof *pts);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		double x = clamp_coord(xy[2 * i]), y = clamp_coord(xy[2 * i + 1]);
		if (m && hypot(x - pts[2 * m - 2], y - pts[2 * m - 1]) < 1e-6)
			continue;
		pts[2 * m] = x;
		pts[2 * m + 1] = y;
		m++;
	}
	if (m == 1) {
		if (caps)
			add_disc(cv, pts[0], pts[1], hw);
		goto done;
	}
	for (size_t i = 0; i + 1 < m; i++)
		add_segment(cv, pts[2 * i], pts[2 * i + 1], pts[2 * i + 2], pts[2 * i + 3], hw);
	for (size_t i = 1; i + 1 < m; i++) {
		double a_in = atan2(pts[2 * i + 1] - pts[2 * i - 1], pts[2 * i] - pts[2 * i - 2]);
		double a_out = atan2(pts[2 * i + 3] - pts[2 * i + 1], pts[2 * i + 2] - pts[2 * i]);
		add_join(cv, pts[2 * i], pts[2 * i + 1], a_in, a_out, hw);
	}
	if (caps) {
		double a0 = atan2(pts[3] - pts[1], pts[2] - pts[0]);
		size_t e = m - 1;
		double a1 = atan2(pts[2 * e + 1] - pts[2 * e - 1], pts[2 * e] - pts[2 * e - 2]);
		add_wedge(cv, pts[0], pts[1], hw, a0 + PI / 2, a0 + 3 * PI / 2);
		add_wedge(cv, pts[2 * e], pts[2 * e + 1], hw, a1 - PI / 2, a1 + PI / 2);
	}
done:
	free(pts);
}

/* Device copies of the finite points of a design-unit polyline. */
static size_t device_points(const struct canvas *cv, const double *xy, size_t n, double *out)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(xy[2 * i]) || !isfinite(xy[2 * i + 1]))
			continue;
		out[2 * m] = xy[2 * i] * cv->scale;
		out[2 * m + 1] = xy[2 * i + 1] * cv->scale;
		m++;
	}
	return m;
}

void cv_stroke_polyline(struct canvas *cv, const double *xy, size_t n, double width,
			struct rgba c)
{
	if (cv->failed || n == 0 || !(width > 0))
		return;
	double *dev = xmalloc(2 * n * sizeof *dev);
	size_t m = device_points(cv, xy, n, dev);
	if (m)
		add_stroke(cv, dev, m, width * cv->scale / 2, 1);
	free(dev);
	fill_cells(cv, c);
}

void cv_stroke_dashed(struct canvas *cv, const double *xy, size_t n, double width,
		      double dash, double gap, struct rgba c)
{
	if (cv->failed || n < 2 || !(width > 0) || !(dash > 0) || !(gap >= 0))
		return;
	double s = cv->scale, hw = width * s / 2, on = dash * s, off = gap * s;
	double *dev = xmalloc(2 * n * sizeof *dev);
	double *piece = xmalloc(2 * (n + 2) * sizeof *piece);
	size_t m = device_points(cv, xy, n, dev);
	size_t pn = 0;     /* points in the dash being built */
	int drawing = 1;   /* inside a dash rather than a gap */
	double left = on;  /* length left of the current dash or gap */
	for (size_t i = 0; i + 1 < m; i++) {
		double ax = dev[2 * i], ay = dev[2 * i + 1];
		double bx = dev[2 * i + 2], by = dev[2 * i + 3];
		double len = hypot(bx - ax, by - ay), at = 0;
		if (drawing && pn == 0) {
			piece[0] = ax, piece[1] = ay;
			pn = 1;
		}
		while (len - at > left) {
			at += left;
			double t = at / len, x = ax + (bx - ax) * t, y = ay + (by - ay) * t;
			if (drawing) {
				piece[2 * pn] = x, piece[2 * pn + 1] = y;
				add_stroke(cv, piece, pn + 1, hw, 0);
				pn = 0;
			} else {
				piece[0] = x, piece[1] = y;
				pn = 1;
			}
			drawing = !drawing;
			left = drawing ? on : off;
		}
		left -= len - at;
		if (drawing) {
			piece[2 * pn] = bx, piece[2 * pn + 1] = by;
			pn++;
		}
	}
	if (drawing && pn >= 2)
		add_stroke(cv, piece, pn, hw, 0);
	free(piece);
	free(dev);
	fill_cells(cv, c);
}

void cv_hatch_rect(struct canvas *cv, struct rect r, double spacing, double width,
		   struct rgba c)
{
	if (cv->failed || !(r.w > 0) || !(r.h > 0) || !(spacing > 0))
		return;
	double s = cv->scale, x0 = r.x, y0 = r.y, x1 = r.x + r.w, y1 = r.y + r.h;
	/* Lines x + y = k on a grid shared by every rectangle, so neighbours line up. */
	double k = ceil((x0 + y0) / spacing) * spacing;
	for (; k < x1 + y1; k += spacing) {
		double ax = fmax(x0, k - y1), bx = fmin(x1, k - y0);
		if (bx <= ax)
			continue;
		double xy[4] = {ax * s, (k - ax) * s, bx * s, (k - bx) * s};
		add_stroke(cv, xy, 2, width * s / 2, 0);
	}
	fill_cells(cv, c);
}

void cv_line(struct canvas *cv, double x0, double y0, double x1, double y1, double width,
	     struct rgba c)
{
	double xy[4] = {x0, y0, x1, y1};
	cv_stroke_polyline(cv, xy, 2, width, c);
}

/* ---- text ---- */

/* Fails the canvas with err unless rc is 0: later drawing is skipped. */
static void keep_failure(struct canvas *cv, int rc, const struct error *err)
{
	if (rc < 0 && !cv->failed) {
		cv->failed = 1;
		cv->err = *err;
	}
}

static const char *font_of(const struct canvas *cv, int bold)
{
	return bold ? cv->bold_font : cv->font;
}

double cv_text_width(struct canvas *cv, const char *s, double size, int bold)
{
	if (!s || !*s || cv->failed)
		return 0;
	double w = 0;
	struct error err;
	int rc = chart_text_width(font_of(cv, bold), size * cv->scale, s, &w, &err);
	keep_failure(cv, rc, &err);
	return rc < 0 ? 0 : w / cv->scale;
}

void cv_text_angle(struct canvas *cv, double x, double y, double angle, const char *s,
		   double size, int bold, struct rgba c)
{
	if (!s || !*s || cv->failed || !isfinite(x) || !isfinite(y))
		return;
	/* Level text sits on a whole pixel row, which keeps its hinted letters crisp. */
	double dev_y = clamp_coord(y * cv->scale);
	struct error err;
	int rc = chart_text_draw(cv->im, font_of(cv, bold), size * cv->scale, angle,
				 clamp_coord(x * cv->scale), angle == 0 ? round(dev_y) : dev_y, s,
				 c, &err);
	keep_failure(cv, rc, &err);
}

void cv_text(struct canvas *cv, double x, double y, enum text_align align, const char *s,
	     double size, int bold, struct rgba c)
{
	if (!s || !*s)
		return;
	if (align != ALIGN_LEFT) {
		double w = cv_text_width(cv, s, size, bold);
		x -= align == ALIGN_CENTER ? w / 2 : w;
	}
	cv_text_angle(cv, x, y, 0, s, size, bold, c);
}

void cv_text_mid(struct canvas *cv, double x, double cy, enum text_align align, const char *s,
		 double size, int bold, struct rgba c)
{
	cv_text(cv, x, cy + size * TEXT_CAP / 2, align, s, size, bold, c);
}

/* Length of the UTF-8 character that starts at s[0]. */
static size_t utf8_char_len(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	for (size_t i = 1; i < n; i++)
		if (!s[i])
			return i;
	return n;
}

double cv_text_fit(struct canvas *cv, const char *s, double size, int bold, double max_w,
		   struct buf *out)
{
	if (!s)
		s = "";
	double w = cv_text_width(cv, s, size, bold);
	if (w <= max_w) {
		buf_puts(out, s);
		return w;
	}
	/* Character boundaries, then a binary search for the longest prefix that fits. */
	size_t len = strlen(s), count = 0;
	size_t *ends = xmalloc((len + 1) * sizeof *ends);
	for (size_t i = 0; i < len; i += utf8_char_len(s + i))
		ends[count++] = i + utf8_char_len(s + i);
	struct buf trial = BUF_INIT;
	size_t lo = 0, hi = count; /* prefix of lo characters fits; of hi does not */
	double best_w = cv_text_width(cv, "\xe2\x80\xa6", size, bold);
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		buf_reset(&trial);
		buf_append(&trial, s, ends[mid - 1]);
		buf_puts(&trial, "\xe2\x80\xa6");
		double tw = cv_text_width(cv, buf_str(&trial), size, bold);
		if (tw <= max_w)
			lo = mid, best_w = tw;
		else
			hi = mid;
	}
	double used = 0;
	if (lo > 0 || best_w <= max_w) {
		size_t keep = lo ? ends[lo - 1] : 0;
		while (keep > 0 && s[keep - 1] == ' ')
			keep--;
		buf_append(out, s, keep);
		buf_puts(out, "\xe2\x80\xa6");
		used = best_w;
	}
	buf_free(&trial);
	free(ends);
	return used;
}

int cv_text_wrap(struct canvas *cv, const char *s, double size, int bold, double max_w,
		 int max_lines, struct buf *out)
{
	assert(max_lines >= 1);
	if (!s || !*s)
		return 0;
	struct buf line = BUF_INIT, trial = BUF_INIT;
	int lines = 0;
	const char *p = s;
	while (*p && lines < max_lines) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (lines == max_lines - 1) {
			if (lines)
				buf_putc(out, '\n');
			cv_text_fit(cv, p, size, bold, max_w, out);
			lines++;
			break;
		}
		/* Take words while they fit. */
		buf_reset(&line);
		const char *q = p, *taken = p;
		while (*q) {
			const char *word_end = strchr(q, ' ');
			if (!word_end)
				word_end = q + strlen(q);
			buf_reset(&trial);
			buf_append(&trial, p, (size_t)(word_end - p));
			if (taken != p && cv_text_width(cv, buf_str(&trial), size, bold) > max_w)
				break;
			taken = word_end;
			q = *word_end ? word_end + 1 : word_end;
		}
		if (lines)
			buf_putc(out, '\n');
		if (taken == p) /* not even one word: cut it */
			taken = p + strlen(p);
		buf_reset(&line);
		buf_append(&line, p, (size_t)(taken - p));
		cv_text_fit(cv, buf_str(&line), size, bold, max_w, out);
		lines++;
		p = taken;
	}
	buf_free(&line);
	buf_free(&trial);
	return lines;
}
