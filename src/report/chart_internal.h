/* chart_internal: what the chart modules share and callers never see: the canvas
 * (antialiased shapes and text on a libgd image), colours, number and date helpers,
 * axes, legends and the table of chart kinds.
 *
 * Every coordinate and size here is in design units (pixels of the 1x image); the
 * canvas multiplies by its scale when it touches device pixels. */
#ifndef CARTOGRAPH_CHART_INTERNAL_H
#define CARTOGRAPH_CHART_INTERNAL_H

#include <gd.h>
#include <stddef.h>
#include <stdint.h>

#include "report/chart.h"
#include "util/buf.h"
#include "util/error.h"

/* ---- colours (chart_palette.c) ---- */

struct rgba {
	unsigned char r, g, b; /* sRGB components */
	unsigned char a;       /* opacity, 255 = opaque */
};

#define RGB_HEX(hex) \
	((struct rgba){(unsigned char)((hex) >> 16), (unsigned char)((hex) >> 8), \
		       (unsigned char)(hex), 255})

extern const struct rgba COLOR_BACKGROUND; /* page white */
extern const struct rgba COLOR_INK;        /* titles, strong text */
extern const struct rgba COLOR_TEXT;       /* labels */
extern const struct rgba COLOR_MUTED;      /* tick labels, subtitle */
extern const struct rgba COLOR_FAINT;      /* source note (still 4.5:1 on white) */
extern const struct rgba COLOR_GRID;       /* gridlines */
extern const struct rgba COLOR_AXIS;       /* baselines and tick marks */
extern const struct rgba COLOR_ZERO;       /* the zero line when values cross it */
extern const struct rgba COLOR_PANEL;      /* quiet fill: no-data panel, missing cells */
extern const struct rgba COLOR_FLAG;       /* flagged points (anomalies) */
extern const struct rgba COLOR_OTHER;      /* "Other" slices */

/* Colour of series i (cycles through the palette). */
struct rgba palette_color(size_t i);
/* The colour with opacity alpha (0..1). */
struct rgba color_alpha(struct rgba c, double alpha);
/* c mixed toward white by t (0 = c, 1 = white). */
struct rgba color_tint(struct rgba c, double t);
/* c mixed toward black by t. */
struct rgba color_shade(struct rgba c, double t);
/* Dark or white text, whichever reads better on fill. */
struct rgba color_text_on(struct rgba fill);
/* The sequential scale of heatmaps at t in [0, 1] (light to dark). */
struct rgba color_sequential(double t);

/* ---- canvas (chart_canvas.c) ---- */

struct rect {
	double x, y; /* top-left corner */
	double w, h; /* size; never negative once made by rect_make */
};

struct rect rect_make(double x, double y, double w, double h);

enum text_align { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };

struct canvas {
	gdImagePtr im;        /* truecolor image, device pixels */
	double scale;         /* device pixels per design unit */
	double width, height; /* design units */
	const char *font;      /* regular TrueType file */
	const char *bold_font; /* bold TrueType file */
	float *cover;          /* rasterizer cells, (device width + 2) * device height */
	unsigned char *row_zeroed; /* per row: its cells were zeroed when an edge first
				    * reached it; rows no edge reaches are never touched */
	int dev_w, dev_h;      /* device pixels */
	int box_x0, box_y0;    /* cells touched since the last fill: [x0, x1) x [y0, y1) */
	int box_x1, box_y1;
	int failed;            /* a text call failed; err says why, drawing has stopped */
	struct error err;      /* the first failure */
};

/* Makes a white canvas of width x height design units at scale. Returns 0 or
 * ERR_SYSTEM (the image could not be allocated). */
int canvas_init(struct canvas *cv, double width, double height, double scale,
		const char *font, const char *bold_font, struct error *err);
void canvas_free(struct canvas *cv);
/* Appends the PNG encoding of the canvas. Returns 0 or ERR_SYSTEM. */
int canvas_png(struct canvas *cv, struct buf *png, struct error *err);

/* Shapes: filled with antialiased edges; alpha of the colour is honoured. */
void cv_fill_rect(struct canvas *cv, double x, double y, double w, double h, struct rgba c);
/* A rectangle whose edges are snapped to device pixels: crisp bars and cells. */
void cv_fill_rect_crisp(struct canvas *cv, double x, double y, double w, double h,
			struct rgba c);
/* A treemap or heatmap tile: edges snapped to device pixels, then the right and bottom
 * edges pulled in by gap so neighbours stay apart; a tile thinner than the gap keeps a
 * pixel so it never vanishes. */
void cv_fill_tile(struct canvas *cv, struct rect r, double gap, struct rgba c);
void cv_fill_round_rect(struct canvas *cv, double x, double y, double w, double h,
			double radius, struct rgba c);
/* xy holds n points as x0, y0, x1, y1, ... */
void cv_fill_polygon(struct canvas *cv, const double *xy, size_t n, struct rgba c);
void cv_fill_circle(struct canvas *cv, double cx, double cy, double r, struct rgba c);
void cv_stroke_circle(struct canvas *cv, double cx, double cy, double r, double width,
		      struct rgba c);
/* Annulus sector from angle a0 to a1 (radians, clockwise from 12 o'clock). */
void cv_fill_arc(struct canvas *cv, double cx, double cy, double r_out, double r_in,
		 double a0, double a1, struct rgba c);
/* A polyline of n points with round joins and caps; width in design units. Points with
 * a non-finite coordinate are skipped. */
void cv_stroke_polyline(struct canvas *cv, const double *xy, size_t n, double width,
			struct rgba c);
/* The same, dashed: dash and gap lengths in design units, butt ends. */
void cv_stroke_dashed(struct canvas *cv, const double *xy, size_t n, double width,
		      double dash, double gap, struct rgba c);
/* Diagonal hatching inside r: lines `spacing` apart (measured along x). */
void cv_hatch_rect(struct canvas *cv, struct rect r, double spacing, double width,
		   struct rgba c);
void cv_line(struct canvas *cv, double x0, double y0, double x1, double y1, double width,
	     struct rgba c);
/* Horizontal and vertical hairlines snapped to whole device pixels (gridlines, axes). */
void cv_hline(struct canvas *cv, double x0, double x1, double y, double width, struct rgba c);
void cv_vline(struct canvas *cv, double x, double y0, double y1, double width, struct rgba c);

/* Text. size is the font's pixel size in design units; y is the baseline. */
double cv_text_width(struct canvas *cv, const char *s, double size, int bold);
void cv_text(struct canvas *cv, double x, double y, enum text_align align, const char *s,
	     double size, int bold, struct rgba c);
/* Text on a line at angle radians counter-clockwise, starting at (x, y) on the baseline. */
void cv_text_angle(struct canvas *cv, double x, double y, double angle, const char *s,
		   double size, int bold, struct rgba c);
/* Text whose capitals are centred on cy. */
void cv_text_mid(struct canvas *cv, double x, double cy, enum text_align align, const char *s,
		 double size, int bold, struct rgba c);
/* Appends s, cut at a character boundary and ended with "…" when wider than max_w.
 * Returns the width of what was appended. */
double cv_text_fit(struct canvas *cv, const char *s, double size, int bold, double max_w,
		   struct buf *out);
/* Splits s into at most max_lines lines no wider than max_w (the last ellipsised);
 * lines are appended to out separated by '\n'. Returns the number of lines. */
int cv_text_wrap(struct canvas *cv, const char *s, double size, int bold, double max_w,
		 int max_lines, struct buf *out);

/* Typographic metrics of the chart fonts as fractions of the size. */
#define TEXT_CAP 0.73     /* capital height */
#define TEXT_ASCENT 0.93  /* highest glyph above the baseline */
#define TEXT_DESCENT 0.24 /* lowest glyph below the baseline */
#define TEXT_LINE 1.25    /* baseline to baseline */

/* ---- layout ---- */

/* Type sizes of the chart parts, design units. */
#define SIZE_TITLE 17.0
#define SIZE_SUBTITLE 13.0
#define SIZE_LABEL 12.0
#define SIZE_TICK 11.5
#define SIZE_VALUE 11.0
#define SIZE_SOURCE 10.5
#define CHART_PAD 20.0 /* white space around everything */
#define NARROW_WIDTH 560.0 /* charts narrower than this (phones) are laid out for it */

/* The canvas is narrower than NARROW_WIDTH: legends move below or into the plot, and
 * labels take room from the data rather than being cut. */
int cv_narrow(const struct canvas *cv);

/* Draws a quiet panel with the spec's empty message centred in it. */
void draw_no_data(struct canvas *cv, const struct chart_spec *spec, struct rect area);

/* ---- values (chart_values.c) ---- */

#define VALUE_LIMIT 1e15 /* finite values are clamped to +-VALUE_LIMIT */
#define VALUE_TINY 1e-200 /* spans below this count as none: steps that fine underflow */

/* v clamped to +-VALUE_LIMIT, or NaN when v is not finite. */
double value_clean(double v);
/* Cleaned value i of a series, NaN past its end or when it has no values. */
double series_value(const struct chart_series *s, size_t i);
double series_x(const struct chart_series *s, size_t i);
int series_flagged(const struct chart_series *s, size_t i);
/* Category label i, or "" when there are none. */
const char *spec_category(const struct chart_spec *spec, size_t i);
/* Series name, or "" when unnamed. */
const char *series_name(const struct chart_series *s);
const char *str_or(const char *s, const char *fallback);
/* The title for sentences: the spec's title or "Chart". */
const char *spec_title(const struct chart_spec *spec);
/* The x positions of line and bar charts: point_count, or the longest series if 0. */
size_t spec_points(const struct chart_spec *spec);

/* CSV writing (RFC 4180). */
void chart_csv_text(struct buf *csv, const char *s);
void chart_csv_number(struct buf *csv, double v);
void csv_day(struct buf *csv, int32_t day);

/* Number writing with thousands separators (chart_format.c). */
/* Appends |v| with decimals digits after the point and commas every three digits;
 * trim drops trailing zeros after the point. */
void format_magnitude(double v, int decimals, int trim, struct buf *out);
/* Appends v per fmt with the given decimals (overriding fmt->decimals). */
void format_value_decimals(const struct chart_format *fmt, double v, int decimals,
			   unsigned style, struct buf *out);
/* Appends v for a label on the chart: compact from 10,000 up, U+2212 minus. */
void format_label(const struct chart_format *fmt, double v, struct buf *out);
/* Appends a count with separators: 12,345. */
void format_count(double v, struct buf *out);
/* "Dec" for month 12. */
const char *month_abbrev(int month);

/* ---- axes (chart_axis.c) ---- */

enum { AXIS_ZERO = 1, AXIS_INTEGER = 2 };

/* The smallest 1, 2 or 5 times a power of ten that is at least raw (1 for raw <= 0). */
double nice_step(double raw);
/* The 1, 2 or 5 times a power of ten nearest raw. */
double near_step(double raw);

#define AXIS_MAX_TICKS 16

struct axis {
	double lo, hi;    /* range drawn: first and last tick */
	double step;      /* distance between ticks: 1, 2 or 5 times a power of ten */
	int ticks;        /* number of ticks, lo to hi */
	struct chart_format fmt; /* how tick labels are written */
	double divisor;   /* tick labels are divided by this (1, 1e3, 1e6 ...) */
	const char *suffix; /* and followed by this ("", "K", "M" ...) */
	int decimals;     /* decimals of the divided tick labels */
};

/* Chooses nice ticks covering [lo, hi] with about target of them. */
void axis_fit(struct axis *a, double lo, double hi, int target, unsigned opts,
	      const struct chart_format *fmt);
double axis_tick(const struct axis *a, int i);
/* Position of v between p_lo (at a->lo) and p_hi (at a->hi), kept within a screen
 * or so of the range so huge values never reach the rasterizer. */
double axis_pos(const struct axis *a, double v, double p_lo, double p_hi);
void axis_tick_label(const struct axis *a, double v, struct buf *out);
/* Widest tick label. */
double axis_label_width(struct canvas *cv, const struct axis *a);

/* Value axis drawn vertically at the left of plot, with horizontal gridlines. */
void axis_draw_left(struct canvas *cv, const struct axis *a, struct rect plot);
/* A tick label written under a bottom axis. */
struct tick_label {
	int tick;      /* which tick (0 .. ticks - 1) */
	double x0, x1; /* its left and right edges */
};

/* Chooses the tick labels of a value axis along the bottom of plot: all of them, or
 * every second, third ... so that no two come closer than a gap, leaving out any that
 * would reach past right_limit (another label's room; INFINITY for none). Fills out
 * (room for AXIS_MAX_TICKS) from left to right and returns how many. */
int axis_bottom_labels(struct canvas *cv, const struct axis *a, struct rect plot,
		       double right_limit, struct tick_label *out);
/* Value axis drawn along the bottom of plot, with vertical gridlines (grid) or tick
 * marks below it, labelled as axis_bottom_labels chooses. */
void axis_draw_bottom(struct canvas *cv, const struct axis *a, struct rect plot, int grid,
		      double right_limit);
/* Axis titles: the y title rotated at x (its left edge), the x title centred below. */
void axis_title_left(struct canvas *cv, const char *title, double x, struct rect plot);
void axis_title_bottom(struct canvas *cv, const char *title, double y, struct rect plot);

/* How category labels along a horizontal axis are shown. */
struct category_axis {
	int rotated;      /* labels at 45 degrees */
	size_t every;     /* a label every `every` categories */
	double label_w;   /* labels are cut with an ellipsis to this width */
	double height;    /* room the labels take below the plot */
};

/* Fits n labels into slots of slot_w, taking at most max_h below the plot. With
 * prefer_thinning, short labels are thinned rather than rotated (line charts). */
void category_axis_fit(struct canvas *cv, const char *const *labels, size_t n, double slot_w,
		       double max_h, int prefer_thinning, struct category_axis *out);
/* How far rotated labels drawn from first_x, spacing apart, would reach past the
 * image's left edge (where category_axis_draw has to cut them); 0 when they do not. */
double category_axis_overhang(struct canvas *cv, const struct category_axis *ca,
			      const char *const *labels, size_t n, double first_x, double spacing);
/* Draws label i centred at first_x + i * spacing, top at y. */
void category_axis_draw(struct canvas *cv, const struct category_axis *ca,
			const char *const *labels, size_t n, double first_x, double spacing,
			double y);

/* A date axis: ticks at days, weeks, months or years chosen from the span. */
struct date_axis {
	int32_t first, last;  /* the dates at the plot's left and right edges */
	int unit;             /* DATE_DAY, DATE_WEEK, DATE_MONTH, DATE_YEAR */
	int every;            /* ticks every `every` units */
	double height;        /* room the labels take below the plot */
};

enum { DATE_DAY, DATE_WEEK, DATE_MONTH, DATE_YEAR };

void date_axis_fit(struct canvas *cv, int32_t first, int32_t last, double plot_w,
		   struct date_axis *out);
double date_axis_pos(const struct date_axis *da, double day, struct rect plot);
void date_axis_draw(struct canvas *cv, const struct date_axis *da, struct rect plot);

/* Lays out a plot with a value axis on the left: reserves the y title and tick label
 * column, asks x_height (given the plot width) how much the x axis needs below, and
 * fits the axis to the plot height. Fills plot and y; returns the room below the plot
 * taken by the x axis labels. Draws nothing. */
typedef double (*x_height_fn)(struct canvas *cv, double plot_w, void *arg);
double layout_left_axis(struct canvas *cv, struct rect body, const char *x_title,
		      const char *y_title, double lo, double hi, unsigned axis_opts,
		      const struct chart_format *fmt, double right_room, x_height_fn x_height,
		      void *arg, struct axis *y, struct rect *plot);
/* Draws the axis titles of a plot laid out by layout_left_axis in body. */
void axis_titles(struct canvas *cv, struct rect body, const char *x_title, const char *y_title,
		 struct rect plot, double below);

/* ---- legend (chart_legend.c) ---- */

enum legend_mark {
	MARK_LINE,  /* a short thick line: line series */
	MARK_BOX,   /* a filled square: bars, slices */
	MARK_DOT,   /* a filled circle: scatter, flagged points */
	MARK_BAND,  /* a pale box: shaded ranges */
	MARK_DASH   /* a dashed line: reference lines */
};

struct legend_entry {
	const char *label;     /* what the mark stands for */
	enum legend_mark mark; /* how it is drawn */
	struct rgba color;     /* its colour */
};

/* Height of the entries laid out in rows across width. */
double legend_height(struct canvas *cv, const struct legend_entry *e, size_t n, double width);
/* Draws them in rows from (x, y) (top-left); returns the height used. */
double legend_draw(struct canvas *cv, const struct legend_entry *e, size_t n, double x,
		   double y, double width);
/* Widest entry of a one-per-line legend (mark included). */
double legend_column_width(struct canvas *cv, const struct legend_entry *e, size_t n);
/* Height of n entries one per line. */
double legend_column_height(size_t n);
/* Draws them one per line from (x, y); returns the height used. */
double legend_draw_column(struct canvas *cv, const struct legend_entry *e, size_t n, double x,
			  double y, double max_w);

/* ---- layouts of single chart kinds, exposed for their tests ---- */

/* Where the parts of a donut go (chart_donut.c). */
struct donut_layout {
	size_t rows;             /* slices, so rows of the table */
	int legend_below;        /* the table runs full width under the ring */
	double cx, cy;           /* centre of the ring */
	double r_out, r_in;      /* its radii */
	struct rect table;       /* the legend table, one row per slice from its top */
	double row_h;            /* one row of the table */
	double names_w;          /* the widest name */
	double name_w;           /* room for a name in a row */
	double value_w, share_w; /* the amount and share columns */
	int show_values;         /* amounts are written (left out only to save names) */
};

/* Lays out the ring and its table in body: beside each other on a wide chart; on a
 * narrow one the table goes under the ring when the height leaves the ring a useful
 * size, else beside a ring shrunk until the names fit. */
void donut_layout(struct canvas *cv, const struct chart_spec *spec, struct rect body,
		  struct donut_layout *lay);

/* Where the parts of a ROC chart go (chart_roc.c). */
enum roc_legend_place {
	ROC_LEGEND_BESIDE, /* right of the plot, at its foot (wide charts) */
	ROC_LEGEND_INSIDE, /* boxed in the plot's lower right, clear of every curve */
	ROC_LEGEND_BELOW   /* in rows under the x axis title */
};

struct roc_layout {
	struct rect room;              /* the axes and their titles */
	struct rect plot;              /* the square plot */
	double below;                  /* room under the plot taken by tick labels */
	struct axis x, y;              /* both 0 to 1 */
	struct legend_entry *entries;  /* a curve each with its AUC, then chance (owned) */
	char **labels;                 /* the curves' labels (owned) */
	size_t entry_count;            /* curves + 1 */
	enum roc_legend_place legend_at; /* where the legend goes */
	struct rect legend;            /* and its box */
};

/* Lays out plot and legend in body; roc_layout_free releases the labels. */
void roc_layout(struct canvas *cv, const struct chart_spec *spec, struct rect body,
		struct roc_layout *lay);
void roc_layout_free(struct roc_layout *lay);

/* Where the parts of a histogram go (chart_histogram.c). */
struct histogram_layout {
	struct chart_bins bins;   /* the bins drawn (owned) */
	struct axis x, y;         /* values across, counts up */
	struct rect plot;         /* bins and overflow bar */
	struct rect bins_area;    /* the bins alone */
	double below;             /* room under the plot taken by tick labels */
	double overflow_x0, overflow_x1; /* edges of the overflow bar's label (none: 0, 0) */
	double right_limit;       /* tick labels end before this */
	struct tick_label ticks[AXIS_MAX_TICKS]; /* the x tick labels written */
	int tick_count;
};

/* Bins the values and lays out axes and labels in body (bins.count 0: no data);
 * histogram_layout_free releases the bins. */
void histogram_layout(struct canvas *cv, const struct chart_spec *spec, struct rect body,
		      struct histogram_layout *lay);
void histogram_layout_free(struct histogram_layout *lay);

/* Where the parts of a funnel go (chart_funnel.c). */
struct funnel_layout {
	double top;        /* the largest count: a full-width bar */
	double first;      /* the first stage's count */
	double y0, row_h;  /* first row's top, height of a row */
	double thick;      /* bar thickness */
	int two_lines;     /* the right column has room for count and share on two lines */
	double names_w;    /* the stage name column */
	int name_lines;    /* names are written on one line, or wrapped onto two */
	double bars_x, bars_w; /* where bars may extend */
	double share_w;    /* the share column, in one-line mode */
	double right;      /* right edge of the right column */
};

/* Lays out the n stages of spec in body. */
void funnel_layout(struct canvas *cv, const struct chart_spec *spec, size_t n, struct rect body,
		   struct funnel_layout *lay);

/* How the category labels of horizontal bars sit in their rows (chart_bar.c). */
struct bar_rows {
	double font;     /* label size: SIZE_TICK, smaller only for very thin rows */
	size_t every;    /* a label every this many rows */
	double widest;   /* the widest label written */
	int above;       /* labels on a line of their own above their bars */
	double label_w;  /* room for a label: a column left of the bars, or the width */
	double label_h;  /* room a label above its bar takes from the row (else 0) */
	double bar_room; /* room left for the bar in a row */
};

/* Fits the labels of n rows of height slot into a chart body body_w wide: beside
 * the bars in a column up to 30% of the width, or, on a narrow chart where that
 * would cut them and rows are tall enough, above each bar. */
void bar_rows_fit(struct canvas *cv, const char *const *labels, size_t n, double slot,
		  double body_w, struct bar_rows *out);

/* ---- chart kinds ---- */

/* What a chart kind draws into: the canvas and the room between header and footer. */
struct chart_ctx {
	const struct chart_spec *spec; /* what to draw */
	struct canvas *cv;             /* where */
	struct rect body;              /* the room left for legend and plot */
};

struct chart_kind {
	const char *name;                                       /* "line" */
	void (*draw)(struct chart_ctx *ctx);                    /* failures go in ctx->cv */
	void (*csv)(const struct chart_spec *spec, struct buf *csv);
	void (*alt)(const struct chart_spec *spec, struct buf *out); /* after the title */
};

extern const struct chart_kind chart_line_kind;
extern const struct chart_kind chart_bar_kind;
extern const struct chart_kind chart_stacked_bar_kind;
extern const struct chart_kind chart_grouped_bar_kind;
extern const struct chart_kind chart_donut_kind;
extern const struct chart_kind chart_treemap_kind;
extern const struct chart_kind chart_heatmap_kind;
extern const struct chart_kind chart_histogram_kind;
extern const struct chart_kind chart_scatter_kind;
extern const struct chart_kind chart_roc_kind;
extern const struct chart_kind chart_funnel_kind;

#endif
