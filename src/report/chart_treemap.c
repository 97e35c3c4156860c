/* chart_treemap: sizes of categories and their subcategories as nested rectangles,
 * e.g. revenue by category -> subcategory.
 *
 * Layout is "squarified" (Bruls, Huizing, van Wijk): items go largest first into rows
 * along the shorter side of the room left, and a row stops growing when the next item
 * would make its worst aspect ratio worse, so tiles stay close to squares and areas
 * are easy to compare. Categories are laid out first; each gets a header with its
 * name and total when there is room, and its subcategories are laid out inside in
 * tints of the category's colour. Tiles too small for words stay unlabelled but are
 * always at least a pixel wide. On a narrow chart a tile's name may wrap onto two
 * lines rather than be cut. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/chart_internal.h"
#include "util/xalloc.h"

#define HEADER_H 20.0 /* category header strip */
#define TILE_GAP 1.0  /* white between subcategory tiles */
#define GROUP_GAP 3.0 /* white between categories */
#define MAX_GROUPS 8  /* past 7 named categories the smallest become "Other" */
#define NARROW_TILE_PAD 4.0 /* between a tile's edge and its words on a narrow chart */

struct tile {
	double value;  /* area weight, positive */
	size_t index;  /* what it stands for (category or item index) */
	struct rect r; /* where it went */
};

static int by_value(const void *a, const void *b)
{
	const struct tile *x = a, *y = b;
	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Worst aspect ratio of a row of areas from amin to amax summing to sum, laid along a
 * side of length side. */
static double worst_ratio(double amin, double amax, double sum, double side)
{
	double s2 = sum * sum, l2 = side * side;
	return fmax(l2 * amax / s2, s2 / (l2 * amin));
}

/* Lays out tiles (sorted largest first, values positive) to fill room. */
static void squarify(struct tile *t, size_t n, struct rect room)
{
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += t[i].value;
	if (!(total > 0) || room.w <= 0 || room.h <= 0)
		return;
	double per_value = room.w * room.h / total;
	size_t i = 0;
	while (i < n) {
		double side = fmin(room.w, room.h);
		if (side <= 0)
			side = 1e-9;
		size_t end = i;
		double sum = 0, worst = INFINITY, amax = 0, amin = INFINITY;
		while (end < n) {
			double a = t[end].value * per_value;
			double w = worst_ratio(fmin(amin, a), fmax(amax, a), sum + a, side);
			if (end > i && w > worst)
				break;
			worst = w, sum += a, amin = fmin(amin, a), amax = fmax(amax, a);
			end++;
		}
		int last = end == n;
		if (room.w >= room.h) { /* a column at the left */
			double thick = last ? room.w : fmin(sum / room.h, room.w), y = room.y;
			for (size_t k = i; k < end; k++) {
				double h = k + 1 == end ? room.y + room.h - y : t[k].value * per_value / thick;
				t[k].r = rect_make(room.x, y, thick, h);
				y += h;
			}
			room.x += thick, room.w -= thick;
		} else { /* a row along the top */
			double thick = last ? room.h : fmin(sum / room.w, room.h), x = room.x;
			for (size_t k = i; k < end; k++) {
				double w = k + 1 == end ? room.x + room.w - x : t[k].value * per_value / thick;
				t[k].r = rect_make(x, room.y, w, thick);
				x += w;
			}
			room.y += thick, room.h -= thick;
		}
		i = end;
	}
}

struct treemap {
	const struct chart_spec *spec;
	size_t *category_of;   /* per tree item: its category number, or SIZE_MAX if left out */
	const char **names;    /* per category: its name */
	struct tile *groups;   /* per category: total and, after layout, its rectangle */
	size_t group_count;
	double total;          /* of all items shown */
	size_t other;          /* category number of "Other", or SIZE_MAX */
};

static double item_value(const struct chart_spec *spec, size_t i)
{
	double v = value_clean(spec->tree[i].value);
	return v > 0 ? v : NAN;
}

static const char *item_category(const struct chart_spec *spec, size_t i)
{
	return spec->tree[i].category ? spec->tree[i].category : "";
}

/* Groups the items by category, in order of first appearance; sorts by total. */
static void treemap_build(struct treemap *tm, const struct chart_spec *spec)
{
	memset(tm, 0, sizeof *tm);
	tm->spec = spec;
	size_t n = spec->tree_count;
	tm->category_of = xcalloc(n ? n : 1, sizeof *tm->category_of);
	tm->names = xcalloc(n ? n : 1, sizeof *tm->names);
	tm->groups = xcalloc(n ? n : 1, sizeof *tm->groups);
	tm->other = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		tm->category_of[i] = SIZE_MAX;
		double v = item_value(spec, i);
		if (isnan(v))
			continue;
		const char *cat = item_category(spec, i);
		size_t g = 0;
		while (g < tm->group_count && strcmp(tm->names[g], cat) != 0)
			g++;
		if (g == tm->group_count) {
			tm->names[g] = cat;
			tm->groups[g] = (struct tile){0, g, {0, 0, 0, 0}};
			tm->group_count++;
		}
		tm->groups[g].value += v;
		tm->category_of[i] = g;
		tm->total += v;
	}
	qsort(tm->groups, tm->group_count, sizeof *tm->groups, by_value);
	if (tm->group_count <= MAX_GROUPS)
		return;
	/* Fold the smallest categories into the last kept one, renamed "Other". */
	struct tile *other = &tm->groups[MAX_GROUPS - 1];
	for (size_t g = MAX_GROUPS; g < tm->group_count; g++) {
		other->value += tm->groups[g].value;
		for (size_t i = 0; i < n; i++)
			if (tm->category_of[i] == tm->groups[g].index)
				tm->category_of[i] = other->index;
	}
	tm->group_count = MAX_GROUPS;
	tm->other = other->index;
	tm->names[other->index] = "Other";
	/* An item of the first folded category keeps its number, so re-check order. */
	qsort(tm->groups, tm->group_count, sizeof *tm->groups, by_value);
}

static void treemap_free(struct treemap *tm)
{
	free(tm->category_of);
	free(tm->names);
	free(tm->groups);
}

/* The name as it goes in a tile: on one line, or on a narrow chart on up to
 * max_lines when that writes it whole. Returns the number of lines appended to out. */
static int tile_name(struct canvas *cv, const char *name, double size, double w, int max_lines,
		     struct buf *out)
{
	if (max_lines > 1 && cv_text_width(cv, name, size, 1) > w) {
		struct buf wrapped = BUF_INIT;
		int lines = cv_text_wrap(cv, name, size, 1, w, max_lines, &wrapped);
		int whole = !strstr(buf_str(&wrapped), "\xe2\x80\xa6") || strstr(name, "\xe2\x80\xa6");
		if (whole)
			buf_puts(out, buf_str(&wrapped));
		buf_free(&wrapped);
		if (whole)
			return lines;
	}
	cv_text_fit(cv, name, size, 1, w, out);
	return 1;
}

/* A line of a name cut to a stub says nothing: such a tile is left to its value. */
static int worth_writing(const char *line, const char *name)
{
	return strstr(name, line) != NULL || strlen(line) >= 4 + 3;
}

/* Writes name and value into a tile when they fit. A narrow chart lets the name wrap
 * onto a second line where the tile is tall enough, and pads less. */
static void label_tile(struct canvas *cv, const struct chart_spec *spec, struct rect r,
		       const char *name, double value, struct rgba fill)
{
	if (r.w < 34 || r.h < 17)
		return;
	struct rgba ink = color_text_on(fill);
	struct buf t = BUF_INIT;
	double size = r.w < 60 || r.h < 34 ? SIZE_VALUE - 1 : SIZE_VALUE;
	int narrow = cv_narrow(cv);
	double pad = narrow ? NARROW_TILE_PAD : 5, line = size * TEXT_LINE;
	double x = r.x + pad, base = r.y + 4 + size * TEXT_ASCENT;
	int max_lines = narrow && r.h >= 4 + 3 * line ? 2 : 1;
	int lines = tile_name(cv, name, size, r.w - 2 * pad, max_lines, &t);
	char *p = t.data;
	for (int i = 0; i < lines && p; i++) {
		char *end = strchr(p, '\n');
		if (end)
			*end = '\0';
		if (worth_writing(p, name))
			cv_text(cv, x, base + (double)i * line, ALIGN_LEFT, p, size, 1, ink);
		p = end ? end + 1 : NULL;
	}
	double value_base = base + (double)(lines > 1 ? lines : 1) * line;
	if (r.h >= 34 && value_base + size * TEXT_DESCENT <= r.y + r.h) {
		buf_reset(&t);
		format_label(&spec->format, value, &t);
		if (cv_text_width(cv, buf_str(&t), size, 0) <= r.w - 2 * pad)
			cv_text(cv, x, value_base, ALIGN_LEFT, buf_str(&t), size, 0, ink);
	}
	buf_free(&t);
}

/* Writes a category's name and total in the header strip at the top of room; the
 * total only where it has room, and on a narrow chart only if the name is not cut. */
static void draw_header(struct canvas *cv, const struct chart_spec *spec, const char *name,
			double total, struct rect room)
{
	struct buf t = BUF_INIT, fit = BUF_INIT;
	double base = room.y + HEADER_H / 2 + SIZE_TICK * TEXT_CAP / 2;
	format_label(&spec->format, total, &t);
	double vw = cv_text_width(cv, buf_str(&t), SIZE_TICK, 0);
	int with_total = vw + 8 < room.w * 0.5;
	if (with_total && cv_narrow(cv) &&
	    cv_text_width(cv, name, SIZE_TICK, 1) > room.w - 2 - (vw + 8))
		with_total = 0;
	double nw = cv_text_fit(cv, name, SIZE_TICK, 1, room.w - 2 - (with_total ? vw + 8 : 0),
				&fit);
	cv_text(cv, room.x + 1, base, ALIGN_LEFT, buf_str(&fit), SIZE_TICK, 1, COLOR_INK);
	if (with_total && nw + vw + 8 <= room.w)
		cv_text(cv, room.x + 1 + nw + 6, base, ALIGN_LEFT, buf_str(&t), SIZE_TICK, 0,
			COLOR_MUTED);
	buf_free(&fit);
	buf_free(&t);
}

/* Draws category g (its rectangle already laid out) with its subcategory tiles. */
static void draw_group(struct canvas *cv, const struct treemap *tm, size_t g, size_t rank)
{
	const struct chart_spec *spec = tm->spec;
	const struct tile *grp = &tm->groups[g];
	struct rgba color = grp->index == tm->other ? COLOR_OTHER : palette_color(rank);
	struct rect room = rect_make(grp->r.x, grp->r.y, grp->r.w - GROUP_GAP, grp->r.h - GROUP_GAP);
	if (room.w <= 0 || room.h <= 0) { /* a sliver: keep it visible */
		cv_fill_tile(cv, grp->r, 0, color);
		return;
	}
	if (room.h >= HEADER_H + 16 && room.w >= 48) {
		draw_header(cv, spec, tm->names[grp->index], grp->value, room);
		room.y += HEADER_H, room.h -= HEADER_H;
	}
	size_t count = 0;
	struct tile *items = xcalloc(spec->tree_count, sizeof *items);
	for (size_t i = 0; i < spec->tree_count; i++)
		if (tm->category_of[i] == grp->index)
			items[count++] = (struct tile){item_value(spec, i), i, {0, 0, 0, 0}};
	qsort(items, count, sizeof *items, by_value);
	/* The tiles' room includes a trailing gap so their own gaps line up with its edge. */
	squarify(items, count, rect_make(room.x, room.y, room.w + TILE_GAP, room.h + TILE_GAP));
	for (size_t k = 0; k < count; k++) {
		double tint = count > 1 ? 0.45 * (double)k / (double)(count - 1) : 0;
		struct rgba fill = color_tint(color, tint);
		cv_fill_tile(cv, items[k].r, TILE_GAP, fill);
		struct rect inner = rect_make(items[k].r.x, items[k].r.y, items[k].r.w - TILE_GAP,
					      items[k].r.h - TILE_GAP);
		const char *sub = spec->tree[items[k].index].subcategory;
		label_tile(cv, spec, inner, sub ? sub : "", items[k].value, fill);
	}
	free(items);
}

static void treemap_draw(struct chart_ctx *ctx)
{
	struct treemap tm;
	treemap_build(&tm, ctx->spec);
	struct rect body = ctx->body;
	if (tm.group_count == 0) {
		draw_no_data(ctx->cv, ctx->spec, body);
		goto done;
	}
	/* The room includes a trailing gap so the outer edges line up with the body. */
	squarify(tm.groups, tm.group_count,
		 rect_make(body.x, body.y, body.w + GROUP_GAP, body.h + GROUP_GAP));
	for (size_t g = 0; g < tm.group_count; g++)
		draw_group(ctx->cv, &tm, g, g);
done:
	treemap_free(&tm);
}

static void treemap_csv(const struct chart_spec *spec, struct buf *csv)
{
	buf_puts(csv, "category,subcategory,value\r\n");
	for (size_t i = 0; i < spec->tree_count; i++) {
		chart_csv_text(csv, item_category(spec, i));
		buf_putc(csv, ',');
		chart_csv_text(csv, spec->tree[i].subcategory);
		buf_putc(csv, ',');
		chart_csv_number(csv, spec->tree[i].value);
		buf_puts(csv, "\r\n");
	}
}

static void treemap_alt(const struct chart_spec *spec, struct buf *out)
{
	struct treemap tm;
	treemap_build(&tm, spec);
	buf_puts(out, spec_title(spec));
	if (tm.group_count == 0) {
		buf_puts(out, ": no data for this period.");
		treemap_free(&tm);
		return;
	}
	const struct tile *top = &tm.groups[0];
	size_t lead = SIZE_MAX, items = 0;
	for (size_t i = 0; i < spec->tree_count; i++) {
		if (tm.category_of[i] == SIZE_MAX)
			continue;
		items++;
		if (tm.category_of[i] == top->index &&
		    (lead == SIZE_MAX || item_value(spec, i) > item_value(spec, lead)))
			lead = i;
	}
	static const struct chart_format pct = {CHART_PERCENT, NULL, 0};
	buf_printf(out, ": %s is the largest category at ", str_or(tm.names[top->index], "one"));
	chart_format_value(&spec->format, top->value, 0, out);
	buf_puts(out, " (");
	chart_format_value(&pct, top->value / tm.total, 0, out);
	buf_puts(out, " of ");
	chart_format_value(&spec->format, tm.total, 0, out);
	buf_printf(out, "), led by %s at ", str_or(spec->tree[lead].subcategory, "one item"));
	chart_format_value(&spec->format, item_value(spec, lead), 0, out);
	buf_printf(out, "; %zu categories, %zu items.", tm.group_count, items);
	treemap_free(&tm);
}

const struct chart_kind chart_treemap_kind = {"treemap", treemap_draw, treemap_csv, treemap_alt};
