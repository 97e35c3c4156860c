/* chart_palette: the colours of the charts.
 *
 * Series colours come from the Okabe-Ito set, chosen because its eight colours stay
 * distinguishable for the common forms of colour blindness (deuteranopia, protanopia,
 * tritanopia) and in greyscale print, which a Tableau-like set does not promise. They
 * are ordered so the strongest colours on white come first; the yellow, weak as a line
 * on white, is last. Heatmaps use one hue from light to dark, which reads the same for
 * every viewer. Text greys are picked to keep at least 4.5:1 contrast on white. */
#include <math.h>

#include "report/chart_internal.h"

const struct rgba COLOR_BACKGROUND = {255, 255, 255, 255};
const struct rgba COLOR_INK = {0x1a, 0x1a, 0x1a, 255};
const struct rgba COLOR_TEXT = {0x33, 0x33, 0x33, 255};
const struct rgba COLOR_MUTED = {0x59, 0x59, 0x59, 255};
const struct rgba COLOR_FAINT = {0x70, 0x70, 0x70, 255};
const struct rgba COLOR_GRID = {0xe6, 0xe6, 0xe6, 255};
const struct rgba COLOR_AXIS = {0x9e, 0x9e, 0x9e, 255};
const struct rgba COLOR_ZERO = {0x5c, 0x5c, 0x5c, 255};
const struct rgba COLOR_PANEL = {0xf3, 0xf3, 0xf3, 255};
const struct rgba COLOR_FLAG = {0xd5, 0x5e, 0x00, 255};
const struct rgba COLOR_OTHER = {0xa8, 0xa8, 0xa8, 255};

static const struct rgba palette[] = {
	{0x00, 0x72, 0xb2, 255}, /* blue */
	{0xe6, 0x9f, 0x00, 255}, /* orange */
	{0x00, 0x9e, 0x73, 255}, /* bluish green */
	{0xcc, 0x79, 0xa7, 255}, /* reddish purple */
	{0x56, 0xb4, 0xe9, 255}, /* sky blue */
	{0xd5, 0x5e, 0x00, 255}, /* vermillion (also flags, so late in the order) */
	{0x4d, 0x4d, 0x4d, 255}, /* dark grey (Okabe-Ito's black, softened) */
	{0xf0, 0xe4, 0x42, 255}, /* yellow */
};

struct rgba palette_color(size_t i)
{
	return palette[i % (sizeof palette / sizeof palette[0])];
}

struct rgba color_alpha(struct rgba c, double alpha)
{
	if (!(alpha > 0))
		alpha = 0;
	if (alpha > 1)
		alpha = 1;
	c.a = (unsigned char)lround(alpha * 255);
	return c;
}

static unsigned char mix(unsigned char a, unsigned char b, double t)
{
	return (unsigned char)lround(a + (b - a) * t);
}

struct rgba color_tint(struct rgba c, double t)
{
	struct rgba w = {mix(c.r, 255, t), mix(c.g, 255, t), mix(c.b, 255, t), c.a};
	return w;
}

struct rgba color_shade(struct rgba c, double t)
{
	struct rgba d = {mix(c.r, 0, t), mix(c.g, 0, t), mix(c.b, 0, t), c.a};
	return d;
}

/* Relative luminance (WCAG) of an sRGB colour. */
static double luminance(struct rgba c)
{
	double ch[3] = {c.r / 255.0, c.g / 255.0, c.b / 255.0};
	for (int i = 0; i < 3; i++)
		ch[i] = ch[i] <= 0.03928 ? ch[i] / 12.92 : pow((ch[i] + 0.055) / 1.055, 2.4);
	return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

struct rgba color_text_on(struct rgba fill)
{
	double l = luminance(fill);
	double on_white = 1.05 / (l + 0.05);
	double on_dark = (l + 0.05) / (luminance(COLOR_INK) + 0.05);
	return on_white >= on_dark ? COLOR_BACKGROUND : COLOR_INK;
}

/* Light sand to deep blue through teal: lightness falls steadily, so order is clear
 * without telling hues apart. */
static const struct rgba sequential[] = {
	{0xe4, 0xf3, 0xc8, 255}, {0xbf, 0xe5, 0xbb, 255}, {0x86, 0xcc, 0xbd, 255},
	{0x45, 0xa4, 0xc2, 255}, {0x22, 0x6f, 0xae, 255}, {0x16, 0x3a, 0x7d, 255},
};

struct rgba color_sequential(double t)
{
	if (!(t > 0))
		t = 0;
	if (t > 1)
		t = 1;
	size_t last = sizeof sequential / sizeof sequential[0] - 1;
	double at = t * (double)last;
	size_t i = (size_t)floor(at);
	if (i >= last)
		return sequential[last];
	double f = at - (double)i;
	struct rgba a = sequential[i], b = sequential[i + 1];
	struct rgba c = {mix(a.r, b.r, f), mix(a.g, b.g, f), mix(a.b, b.b, f), 255};
	return c;
}
