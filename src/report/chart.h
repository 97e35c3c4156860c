/* chart: the report's PNG charts, drawn with libgd, with the numbers behind each chart
 * as CSV and one sentence of alt text.
 *
 * A caller describes a chart in a struct chart_spec (what kind, the numbers, the words
 * around them) and asks for a PNG, the CSV or the alt text. The spec only borrows the
 * caller's arrays and strings; nothing is kept after a call returns.
 *
 * The one idea to hold: layout happens in design units, the pixels of the 1x image.
 * A render at scale s multiplies every position, stroke and font size by s, so the 2x
 * PNG is the same chart drawn again with twice the detail, not an enlargement.
 *
 * Values may be NaN or infinite (treated as missing), huge (clamped to +-1e15) or
 * negative; no input makes a render crash, divide by zero or draw outside the image.
 * The same spec always gives byte-identical PNG, CSV and alt text.
 *
 * Fonts are read through a cache of rendered glyphs (chart_text.h) that locks itself, so
 * threads may render at once; call chart_library_shutdown() once when the program is
 * done with charts, or the fonts and glyphs stay allocated. */
#ifndef CARTOGRAPH_CHART_H
#define CARTOGRAPH_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"

enum chart_type {
	CHART_LINE,        /* series over dates or categories; flagged points, shaded band */
	CHART_BAR,         /* a value per category; several series are drawn grouped */
	CHART_STACKED_BAR, /* series stacked per category; negatives stack below zero */
	CHART_GROUPED_BAR, /* series side by side per category */
	CHART_DONUT,       /* shares of a whole: categories and series[0] */
	CHART_TREEMAP,     /* category -> subcategory areas from spec.tree */
	CHART_HEATMAP,     /* matrix of values with a colour legend (cohort retention) */
	CHART_HISTOGRAM,   /* distribution of the raw values of series[0], binned here */
	CHART_SCATTER,     /* y against x, one colour per series */
	CHART_ROC,         /* ROC curves: x = false positive rate, y = true positive rate */
	CHART_FUNNEL,      /* stages (categories) with counts (series[0]) */
	CHART_TYPE_COUNT
};

enum chart_unit {
	CHART_NUMBER,   /* 1,234.5 */
	CHART_CURRENCY, /* £1,234.50; axes abbreviate: £1.2M */
	CHART_PERCENT   /* values are fractions: 0.253 is written 25.3% */
};

/* How values are written on axes, labels, in alt text. All zero means whole numbers. */
struct chart_format {
	enum chart_unit unit; /* what the figures are */
	const char *currency; /* CHART_CURRENCY: symbol before the figure ("£"); NULL = "$" */
	int decimals;         /* digits after the point in labels and alt text (0..6) */
};

/* Style bits of chart_format_value. */
enum {
	CHART_FMT_COMPACT = 1, /* 12,345 -> 12.3K, 1,234,567 -> 1.23M (from 10,000 up) */
	CHART_FMT_MINUS = 2    /* write negatives with U+2212 (as drawn) instead of '-' */
};

struct chart_series {
	const char *name;             /* legend label ("Revenue"); NULL or "" for none */
	const double *values;         /* y per point; histogram: the raw values to bin */
	const double *x;              /* scatter and ROC only: x per point */
	const unsigned char *flagged; /* line only, optional: nonzero marks point i (anomaly) */
	size_t count;                 /* entries in values (and in x and flagged when given) */
};

/* One leaf of a treemap. Items of one category need not be next to each other. */
struct chart_tree_item {
	const char *category;    /* outer level, e.g. "Home & Garden" */
	const char *subcategory; /* inner level, e.g. "Candles" */
	double value;            /* tile area; zero, negative and non-finite are left out */
};

/* The values of a heatmap, e.g. rows = cohorts, columns = months since first purchase. */
struct chart_matrix {
	const double *cells;           /* rows * cols values, row after row; NaN = no data */
	size_t rows;                   /* number of rows */
	size_t cols;                   /* number of columns */
	const char *const *row_labels; /* rows labels, or NULL */
	const char *const *col_labels; /* cols labels, or NULL (then 0, 1, 2, ...) */
};

struct chart_spec {
	enum chart_type type;         /* what kind of chart */
	const char *title;            /* bold headline: "Daily revenue" */
	const char *subtitle;         /* what is measured, in one line (wraps to two) */
	const char *source;           /* note at the foot: "Source: orders table" */
	const char *x_label;          /* axis titles; NULL for none */
	const char *y_label;
	struct chart_format format;   /* values: y axis, bar lengths, cells, slices */
	struct chart_format x_format; /* the x axis of scatter and histogram charts */

	size_t point_count;            /* x positions shared by the series of line, bar,
					  donut and funnel charts (categories or dates) */
	const char *const *categories; /* point_count labels, or NULL */
	const int32_t *days;           /* line: point_count dates as days since 1970-01-01,
					  ascending (chart_day_from_civil), or NULL */
	const struct chart_series *series; /* series_count series */
	size_t series_count;

	const double *band_low;  /* line, optional: shaded range per point (both or none) */
	const double *band_high;
	const char *band_label;  /* legend label of the band; NULL = "Expected range" */
	const char *flag_label;  /* legend label of flagged points; NULL = "Anomaly" */

	const struct chart_tree_item *tree; /* treemap leaves */
	size_t tree_count;
	struct chart_matrix matrix;         /* heatmap values */
	int bins;                           /* histogram: bins wanted; 0 = from the data */
	int horizontal;                     /* bar charts: bars run left to right */

	int width;               /* size of the 1x image in pixels; 0 = 800 x 450 */
	int height;
	const char *font;        /* TrueType files; NULL = DejaVu Sans and DejaVu Sans Bold */
	const char *bold_font;
	const char *empty_message; /* shown when nothing can be drawn; NULL = "No data for
				      this period" */
};

#define CHART_DEFAULT_WIDTH 800
#define CHART_DEFAULT_HEIGHT 450
/* The size of the version drawn for phones (chart_phone_size). */
#define CHART_PHONE_WIDTH 400
#define CHART_PHONE_MIN_HEIGHT 280
#define CHART_MAX_SCALE 4
#define CHART_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define CHART_BOLD_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

/* Draws the chart at scale 1 (width x height pixels) to 4 and appends the PNG bytes to
 * png. Returns 0, ERR_INPUT for a spec that cannot be drawn (missing arrays, bad size)
 * or ERR_SYSTEM when a font cannot be read or the PNG cannot be encoded. */
int chart_render_png(const struct chart_spec *spec, int scale, struct buf *png,
		     struct error *err);

/* Appends the numbers behind the chart as CSV (RFC 4180, header row first, missing
 * values as empty fields). Returns 0 or ERR_INPUT. */
int chart_write_csv(const struct chart_spec *spec, struct buf *csv, struct error *err);

/* Appends one sentence stating the chart's key figure, e.g. "Daily revenue, 1 Dec 2010
 * to 9 Dec 2011: peak £184,349 on 9 Nov 2011; 3 anomalies flagged." Returns 0 or
 * ERR_INPUT. */
int chart_alt_text(const struct chart_spec *spec, struct buf *out, struct error *err);

/* What a column of a chart's CSV holds, for the table a screen reader reads. */
enum chart_column {
	COLUMN_LABEL, /* text: a category, a stage, a series' name */
	COLUMN_DATE,  /* a day, "YYYY-MM-DD" */
	COLUMN_VALUE, /* a figure in spec.format */
	COLUMN_X,     /* a figure in spec.x_format */
	COLUMN_SHARE, /* a fraction, read as a percentage */
	COLUMN_FLAG   /* 1 or 0: the point is marked or not */
};

/* What column (0-based) of spec's CSV holds; heading is its CSV heading. */
enum chart_column chart_csv_column(const struct chart_spec *spec, size_t column,
				   const char *heading);
/* Appends a CSV heading in words: "share_of_first" -> "Share of first", a line's
 * "Revenue flagged" -> its flag_label. */
void chart_table_heading(const struct chart_spec *spec, const char *heading, struct buf *out);
/* Appends a CSV cell of that kind as the chart writes it: "$725,458", "16.7%",
 * "3 Jan 2016", "yes". Empty and non-numeric cells of figures are kept as they are. */
void chart_table_cell(const struct chart_spec *spec, enum chart_column kind, const char *cell,
		      struct buf *out);

/* Appends v written per fmt and style (CHART_FMT_*): "£1,234", "−$1.2M", "25.3%".
 * Non-finite values are written "n/a". */
void chart_format_value(const struct chart_format *fmt, double v, unsigned style,
			struct buf *out);

/* Day number (days since 1970-01-01) of a proleptic Gregorian date, and back. */
int32_t chart_day_from_civil(int year, int month, int day);
void chart_civil_from_day(int32_t day_number, int *year, int *month, int *day);
/* Appends "9 Dec 2011". */
void chart_format_day(int32_t day_number, struct buf *out);

/* Area under a ROC curve given as points (false positive rate, true positive rate) in
 * any order; (0,0) and (1,1) are assumed. Points with non-finite coordinates are left
 * out. Returns NaN when no point is usable. */
double chart_roc_auc(const double *fpr, const double *tpr, size_t n);

/* Histogram bins: bin i covers [edges[i], edges[i + 1]); the last bin also holds its
 * upper edge unless there is an overflow bin, which holds every value from
 * edges[count] up. */
struct chart_bins {
	double *edges;   /* count + 1 ascending edges, multiples of width */
	size_t *counts;  /* values per bin */
	size_t count;    /* number of bins; 0 when there were no finite values */
	double width;    /* bin width: a 1, 2 or 5 times a power of ten */
	size_t values;   /* finite values binned, overflow included */
	size_t overflow; /* values at or above edges[count] (a far tail), else 0 */
};

/* Bins the finite values with nice edges: about `wanted` bins, or a number chosen from
 * the data (Freedman-Diaconis, Sturges when the spread is zero) when wanted <= 0. In
 * the automatic case a far tail (beyond the upper quartile plus three interquartile
 * ranges, and long enough to squash the rest) is gathered into the overflow bin. At
 * most 200 bins. The caller frees with chart_bins_free. */
void chart_histogram_bins(const double *values, size_t n, int wanted, struct chart_bins *out);
void chart_bins_free(struct chart_bins *bins);

/* The size of the chart drawn again for phones: CHART_PHONE_WIDTH wide, so that its
 * text is not shrunk to a third on a small screen, and two thirds as tall (at least
 * CHART_PHONE_MIN_HEIGHT). Lists of bars keep the height their rows need, and donuts
 * and ROC curves keep theirs: on a narrow chart their legends leave the side of the
 * ring or plot for a place under or inside it. */
void chart_phone_size(const struct chart_spec *spec, int *width, int *height);

/* Lower-case name of a chart type ("line", "stacked_bar"), or "unknown". */
const char *chart_type_name(enum chart_type type);

/* Closes the fonts and frees the glyph cache. Call once at exit, after the last chart;
 * a later chart opens them again. */
void chart_library_shutdown(void);

#endif
