/* chart_text: text on chart images through FreeType, each glyph rendered once.
 *
 * libgd's text call sets the font up at two sizes and loads every glyph twice, running
 * the font's hinting program each time, on every call: on the Online Retail report that
 * was a sixth of the build's CPU. Here each font file is opened once, and each glyph is
 * hinted and rendered once per font, pixel size and angle into a cache of coverage
 * bitmaps; drawing a string copies them into the image. Glyphs advance by the font's
 * unhinted widths and kerning, so a label at 2x is twice as wide as at 1x, and each is
 * rendered at its position to a quarter of a pixel (across and, on turned text, down),
 * so letters keep even spacing and turned labels a straight baseline.
 *
 * A FreeType face must not be used by two threads at once, and the build draws charts
 * on two: one lock guards the cache. Text is a small part of a chart, so the lanes seldom
 * wait for each other. */
#include "report/chart_text.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"

#define BUCKETS 4096        /* glyph hash chains (a power of two) */
#define GLYPH_LIMIT 50000   /* past this many glyphs the cache starts again */
#define REPLACEMENT '?'     /* drawn for a byte that is not UTF-8 */
#define PHASES 4            /* a glyph's origin is placed to a quarter of a pixel */
#define MIN_PIXELS 1.0      /* text sizes drawn: smaller (or NaN) is left out */
#define MAX_PIXELS 1000.0

/* An open font file. */
struct font {
	char *path;
	FT_Face face;
	FT_F26Dot6 size; /* the pixel size the face is set to, 26.6; 0 for none yet */
};

/* One glyph at one size and angle, as coverage ready to blend. */
struct glyph {
	struct glyph *next;   /* in its hash chain */
	int font;             /* index into cache.fonts */
	FT_UInt index;        /* the glyph in the font */
	FT_F26Dot6 size;      /* pixel size, 26.6 */
	double angle;         /* radians, counter-clockwise */
	int phase_x, phase_y; /* origin's offset right and down, in 1/PHASES pixel */
	FT_Fixed advance;     /* unhinted advance, font units */
	int left, top;        /* the bitmap's top-left corner: right of and above the pen */
	int width, rows;      /* bitmap size in pixels */
	unsigned char *cover; /* rows * width coverage, 0 to 255 */
};

static struct {
	pthread_mutex_t lock;
	FT_Library library;   /* NULL until the first font is opened */
	struct font *fonts;
	int font_count;
	struct glyph *buckets[BUCKETS];
	int glyph_count;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* ---- fonts ---- */

static const char *problem(FT_Error e)
{
	switch (e) {
	case FT_Err_Cannot_Open_Resource:
		return "cannot open the file";
	case FT_Err_Unknown_File_Format:
	case FT_Err_Invalid_File_Format:
		return "not a font file FreeType can read";
	case FT_Err_Out_Of_Memory:
		return "out of memory";
	default:
		return "FreeType cannot use it";
	}
}

static int font_error(const char *path, FT_Error e, struct error *err)
{
	return error_set(err, ERR_SYSTEM, "font '%s': %s (FreeType error %d)", path, problem(e),
			 e);
}

/* The index of the open font at path, opening it if need be; -1 on failure. */
static int open_font(const char *path, struct error *err)
{
	for (int i = 0; i < cache.font_count; i++)
		if (strcmp(cache.fonts[i].path, path) == 0)
			return i;
	FT_Error e = 0;
	if (!cache.library && (e = FT_Init_FreeType(&cache.library)) != 0) {
		cache.library = NULL;
		font_error(path, e, err);
		return -1;
	}
	FT_Face face;
	if ((e = FT_New_Face(cache.library, path, 0, &face)) != 0) {
		font_error(path, e, err);
		return -1;
	}
	FT_Select_Charmap(face, FT_ENCODING_UNICODE); /* keeps the default if it has none */
	cache.fonts = xreallocarray(cache.fonts, (size_t)cache.font_count + 1,
				    sizeof *cache.fonts);
	cache.fonts[cache.font_count] = (struct font){xstrdup(path), face, 0};
	return cache.font_count++;
}

/* Sets the face up for glyph g: its pixel size (changed only when it differs, as that
 * runs the font's set-up program), rotation and sub-pixel offset. */
static FT_Error set_face(struct font *f, const struct glyph *g)
{
	if (f->size != g->size) {
		FT_Error e = FT_Set_Char_Size(f->face, 0, g->size, 72, 72);
		if (e)
			return e;
		f->size = g->size;
	}
	FT_Matrix turn = {(FT_Fixed)lround(cos(g->angle) * 65536),
			  (FT_Fixed)lround(-sin(g->angle) * 65536),
			  (FT_Fixed)lround(sin(g->angle) * 65536),
			  (FT_Fixed)lround(cos(g->angle) * 65536)};
	/* 26.6 units; FreeType's y axis points up, the image's down. */
	FT_Vector offset = {g->phase_x * 64 / PHASES, -g->phase_y * 64 / PHASES};
	FT_Set_Transform(f->face, g->angle != 0 ? &turn : NULL, &offset);
	return 0;
}

/* ---- glyphs ---- */

static size_t bucket_of(const struct glyph *key)
{
	uint64_t h = (uint64_t)key->font * 0x9E3779B97F4A7C15u;
	h = (h ^ key->index) * 0xBF58476D1CE4E5B9u;
	h = (h ^ (uint64_t)key->size) * 0x94D049BB133111EBu;
	h = (h ^ (uint64_t)(key->phase_x * PHASES + key->phase_y)) * 0x9E3779B97F4A7C15u;
	h ^= (uint64_t)lround(key->angle * 1e6);
	return (size_t)((h ^ (h >> 31)) & (BUCKETS - 1));
}

static int same_glyph(const struct glyph *a, const struct glyph *b)
{
	return a->font == b->font && a->index == b->index && a->size == b->size &&
	       a->angle == b->angle && a->phase_x == b->phase_x && a->phase_y == b->phase_y;
}

static void clear_glyphs(void)
{
	for (size_t i = 0; i < BUCKETS; i++) {
		for (struct glyph *g = cache.buckets[i], *next; g; g = next) {
			next = g->next;
			free(g->cover);
			free(g);
		}
		cache.buckets[i] = NULL;
	}
	cache.glyph_count = 0;
}

/* Copies the rendered bitmap of the face's slot into g's coverage. 0, or -1 for a
 * pixel mode other than grey levels and one bit per pixel. */
static int copy_bitmap(const FT_Bitmap *bm, struct glyph *g)
{
	if (bm->pixel_mode != FT_PIXEL_MODE_GRAY && bm->pixel_mode != FT_PIXEL_MODE_MONO)
		return -1;
	g->width = (int)bm->width;
	g->rows = (int)bm->rows;
	g->cover = xmalloc((size_t)g->width * (size_t)g->rows + 1);
	for (int r = 0; r < g->rows; r++) {
		int from_top = bm->pitch >= 0 ? r : g->rows - 1 - r;
		const unsigned char *src = bm->buffer + (ptrdiff_t)from_top * abs(bm->pitch);
		unsigned char *dst = g->cover + (size_t)r * (size_t)g->width;
		for (int x = 0; x < g->width; x++)
			dst[x] = bm->pixel_mode == FT_PIXEL_MODE_GRAY
					 ? src[x]
					 : ((src[x >> 3] >> (7 - (x & 7))) & 1) * 255;
	}
	return 0;
}

/* Hints and renders the glyph key names into a new cache entry; NULL with err set on
 * failure. */
static struct glyph *render_glyph(const struct glyph *key, struct error *err)
{
	struct font *f = &cache.fonts[key->font];
	struct glyph *g = xmalloc(sizeof *g);
	*g = *key;
	FT_Error e = set_face(f, g);
	if (!e)
		e = FT_Get_Advance(f->face, g->index, FT_LOAD_NO_SCALE, &g->advance);
	if (!e)
		e = FT_Load_Glyph(f->face, g->index, FT_LOAD_DEFAULT);
	if (!e)
		e = FT_Render_Glyph(f->face->glyph, FT_RENDER_MODE_NORMAL);
	if (!e && copy_bitmap(&f->face->glyph->bitmap, g) < 0)
		e = FT_Err_Unimplemented_Feature;
	if (e) {
		free(g->cover);
		free(g);
		font_error(f->path, e, err);
		return NULL;
	}
	g->left = f->face->glyph->bitmap_left;
	g->top = f->face->glyph->bitmap_top;
	return g;
}

/* The cached glyph key names (its font, index, size, angle and phases), rendered on
 * first use; NULL with err set on failure. */
static const struct glyph *find_glyph(const struct glyph *key, struct error *err)
{
	size_t b = bucket_of(key);
	for (struct glyph *g = cache.buckets[b]; g; g = g->next)
		if (same_glyph(g, key))
			return g;
	if (cache.glyph_count >= GLYPH_LIMIT)
		clear_glyphs();
	struct glyph *g = render_glyph(key, err);
	if (g) {
		g->next = cache.buckets[b];
		cache.buckets[b] = g;
		cache.glyph_count++;
	}
	return g;
}

/* ---- strings ---- */

/* The character at s[*at] (a valid UTF-8 sequence ending by valid_end), moving *at
 * past it; a byte that starts no valid sequence is REPLACEMENT. Control characters
 * come out as spaces. */
static uint32_t next_char(const unsigned char *s, size_t *at, size_t valid_end)
{
	size_t i = *at;
	uint32_t ch;
	if (i >= valid_end) {
		*at = i + 1;
		return REPLACEMENT;
	}
	if (s[i] < 0x80) {
		ch = s[i];
		*at = i + 1;
	} else {
		int extra = s[i] >= 0xF0 ? 3 : s[i] >= 0xE0 ? 2 : 1;
		ch = s[i] & (0x3F >> extra);
		for (int k = 1; k <= extra; k++)
			ch = (ch << 6) | (s[i + (size_t)k] & 0x3F);
		*at = i + 1 + (size_t)extra;
	}
	return ch < 0x20 || ch == 0x7F ? ' ' : ch;
}

/* Where a string goes: the start of its baseline in device pixels, its direction, its
 * colour and image. */
struct drawing {
	gdImagePtr im;
	double x, y;
	double cos_a, sin_a;
	struct rgba colour;
};

/* The whole pixel a glyph's origin falls in for a pen position, and its offset within
 * that pixel as key's phases. */
static void place_origin(const struct drawing *d, double pen, struct glyph *key, long *ox,
			 long *oy)
{
	long qx = lround((d->x + pen * d->cos_a) * PHASES);
	long qy = lround((d->y - pen * d->sin_a) * PHASES);
	*ox = (long)floor((double)qx / PHASES);
	*oy = (long)floor((double)qy / PHASES);
	key->phase_x = (int)(qx - *ox * PHASES);
	key->phase_y = (int)(qy - *oy * PHASES);
}

/* Blends colour into *pixel at coverage (0 to 255) times the colour's opacity. */
static void blend(int *pixel, struct rgba colour, unsigned coverage)
{
	const unsigned full = 255 * 255, a = coverage * colour.a, keep = full - a;
	int p = *pixel;
	unsigned r = (colour.r * a + (unsigned)gdTrueColorGetRed(p) * keep + full / 2) / full;
	unsigned g = (colour.g * a + (unsigned)gdTrueColorGetGreen(p) * keep + full / 2) / full;
	unsigned b = (colour.b * a + (unsigned)gdTrueColorGetBlue(p) * keep + full / 2) / full;
	*pixel = gdTrueColorAlpha((int)r, (int)g, (int)b, gdTrueColorGetAlpha(p));
}

/* Blends glyph g with its origin at pixel (ox, oy); what falls off the image is left. */
static void draw_glyph(const struct drawing *d, const struct glyph *g, long ox, long oy)
{
	const long x0 = ox + g->left, y0 = oy - g->top;
	const long w = gdImageSX(d->im), h = gdImageSY(d->im);
	const long c0 = x0 < 0 ? -x0 : 0, c1 = x0 + g->width > w ? w - x0 : g->width;
	for (long r = y0 < 0 ? -y0 : 0; r < g->rows && y0 + r < h; r++) {
		int *row = d->im->tpixels[y0 + r];
		const unsigned char *cover = g->cover + r * g->width;
		for (long c = c0; c < c1; c++)
			if (cover[c])
				blend(&row[x0 + c], d->colour, cover[c]);
	}
}

/* Walks s in the font at path at px pixels and angle, drawing each glyph when d is not
 * NULL; *end gets the pen after the last glyph. Returns 0 or ERR_SYSTEM. The caller holds
 * the cache lock. */
static int lay_out(const char *path, double px, double angle, const char *s,
		   const struct drawing *d, double *end, struct error *err)
{
	*end = 0;
	int font = open_font(path, err);
	if (font < 0)
		return ERR_SYSTEM;
	if (!(px >= MIN_PIXELS && px <= MAX_PIXELS))
		return 0; /* nothing to see, or no chart's text: not drawn, no width */
	FT_Face face = cache.fonts[font].face;
	const double per_unit = px / face->units_per_EM;
	const unsigned char *text = (const unsigned char *)s;
	const size_t len = strlen(s);
	size_t at = 0, valid_end = utf8_invalid_at(s, len);
	struct glyph key = {.font = font, .size = (FT_F26Dot6)lround(px * 64), .angle = angle};
	double pen = 0;
	while (at < len) {
		if (at > valid_end)
			valid_end = at + utf8_invalid_at(s + at, len - at);
		FT_UInt previous = key.index;
		key.index = FT_Get_Char_Index(face, next_char(text, &at, valid_end));
		FT_Vector kern = {0, 0};
		if (previous && FT_HAS_KERNING(face))
			FT_Get_Kerning(face, previous, key.index, FT_KERNING_UNSCALED, &kern);
		pen += (double)kern.x * per_unit;
		long ox = 0, oy = 0;
		if (d)
			place_origin(d, pen, &key, &ox, &oy);
		const struct glyph *g = find_glyph(&key, err);
		if (!g)
			return ERR_SYSTEM;
		if (d)
			draw_glyph(d, g, ox, oy);
		pen += (double)g->advance * per_unit;
	}
	*end = pen;
	return 0;
}

int chart_text_width(const char *font, double px, const char *s, double *width,
		     struct error *err)
{
	pthread_mutex_lock(&cache.lock);
	int rc = lay_out(font, px, 0, s, NULL, width, err);
	pthread_mutex_unlock(&cache.lock);
	return rc;
}

int chart_text_draw(gdImagePtr im, const char *font, double px, double angle, double x,
		    double y, const char *s, struct rgba c, struct error *err)
{
	struct drawing d = {im, x, y, cos(angle), sin(angle), c};
	double end;
	pthread_mutex_lock(&cache.lock);
	int rc = lay_out(font, px, angle, s, &d, &end, err);
	pthread_mutex_unlock(&cache.lock);
	return rc;
}

void chart_text_release(void)
{
	pthread_mutex_lock(&cache.lock);
	clear_glyphs();
	for (int i = 0; i < cache.font_count; i++) {
		FT_Done_Face(cache.fonts[i].face);
		free(cache.fonts[i].path);
	}
	free(cache.fonts);
	cache.fonts = NULL;
	cache.font_count = 0;
	if (cache.library)
		FT_Done_FreeType(cache.library);
	cache.library = NULL;
	pthread_mutex_unlock(&cache.lock);
}
