/* test_chart_text: chart text is measured and drawn by FreeType through a glyph cache:
 * widths scale with the size, kerning and odd input are handled, the ink lands where it
 * was asked for, and two threads drawing at once get exactly the pixels one thread gets. */
#include <pthread.h>
#include <string.h>

#include "check.h"
#include "report/chart.h"
#include "report/chart_text.h"

static const struct rgba ink = {0, 0, 0, 255};

static double width_of(const char *s, double px)
{
	double w = -1;
	struct error err = {""};
	CHECK_INT(chart_text_width(CHART_FONT, px, s, &w, &err), 0);
	return w;
}

static gdImagePtr white_image(int w, int h)
{
	gdImagePtr im = gdImageCreateTrueColor(w, h);
	gdImageFilledRectangle(im, 0, 0, w - 1, h - 1, gdTrueColor(255, 255, 255));
	return im;
}

/* The box of pixels that are not white: x0, y0 inclusive, x1, y1 exclusive; all 0
 * when there are none. */
static void ink_box(gdImagePtr im, int box[4])
{
	box[0] = gdImageSX(im), box[1] = gdImageSY(im), box[2] = box[3] = 0;
	for (int y = 0; y < gdImageSY(im); y++)
		for (int x = 0; x < gdImageSX(im); x++)
			if ((gdImageTrueColorPixel(im, x, y) & 0xFFFFFF) != 0xFFFFFF) {
				box[0] = x < box[0] ? x : box[0];
				box[1] = y < box[1] ? y : box[1];
				box[2] = x + 1 > box[2] ? x + 1 : box[2];
				box[3] = y + 1 > box[3] ? y + 1 : box[3];
			}
	if (box[2] == 0)
		box[0] = box[1] = 0;
}

static int same_pixels(gdImagePtr a, gdImagePtr b)
{
	for (int y = 0; y < gdImageSY(a); y++)
		if (memcmp(a->tpixels[y], b->tpixels[y], (size_t)gdImageSX(a) * sizeof(int)) != 0)
			return 0;
	return 1;
}

static gdImagePtr drawn(const char *s, double x, double y, double angle)
{
	gdImagePtr im = white_image(200, 80);
	struct error err = {""};
	CHECK_INT(chart_text_draw(im, CHART_FONT, 14, angle, x, y, s, ink, &err), 0);
	return im;
}

static void test_text_width_scales_with_the_pixel_size(void)
{
	double one = width_of("Revenue by country", 12);
	CHECK(one > 80 && one < 160);
	CHECK_NEAR(width_of("Revenue by country", 24), 2 * one, 1e-9);
	CHECK_NEAR(width_of("", 12), 0, 0);
	/* sizes no chart uses are left out, not drawn huge or crashed on */
	CHECK_NEAR(width_of("Revenue", 0.5), 0, 0);
	CHECK_NEAR(width_of("Revenue", NAN), 0, 0);
	CHECK_NEAR(width_of("Revenue", 1e9), 0, 0);
	gdImagePtr im = white_image(40, 20);
	struct error err = {""};
	CHECK_INT(chart_text_draw(im, CHART_FONT, -3, 0, 5, 15, "x", ink, &err), 0);
	int box[4];
	ink_box(im, box);
	CHECK_INT(box[2], 0);
	gdImageDestroy(im);
}

static void test_text_width_follows_the_fonts_kerning(void)
{
	/* DejaVu Sans pulls A and V together. */
	CHECK(width_of("AV", 40) < width_of("A", 40) + width_of("V", 40) - 1);
	CHECK_NEAR(width_of("HH", 40), 2 * width_of("H", 40), 1e-9);
}

static void test_text_odd_bytes_measure_as_question_marks_and_spaces(void)
{
	CHECK_NEAR(width_of("a\xff" "b", 12), width_of("a?b", 12), 1e-9);
	CHECK_NEAR(width_of("a\xe2\x82", 12), width_of("a??", 12), 1e-9);
	CHECK_NEAR(width_of("a\tb\n", 12), width_of("a b ", 12), 1e-9);
	CHECK(width_of("\xe2\x82\xac", 12) > 0); /* the euro sign, a real glyph */
}

static void test_text_ink_starts_at_the_pen_and_sits_on_the_baseline(void)
{
	gdImagePtr im = drawn("Hxxxxxxxxxxxxx", 20, 50, 0);
	int box[4];
	ink_box(im, box);
	CHECK(box[0] >= 20 && box[0] <= 23); /* H's left side bearing */
	CHECK_INT(box[3], 50);              /* no descender: ink stops at the baseline */
	CHECK(box[1] >= 50 - 12 && box[1] <= 50 - 9); /* capital height of 14 px */
	CHECK_NEAR(box[2] - 20, width_of("Hxxxxxxxxxxxxx", 14), 3);
	gdImageDestroy(im);
}

static void test_text_moved_a_whole_pixel_is_the_same_pixels_shifted(void)
{
	gdImagePtr a = drawn("Sales 2011", 20.25, 40, 0), b = drawn("Sales 2011", 21.25, 40, 0);
	int differ = 0;
	for (int y = 0; y < 80; y++)
		for (int x = 0; x + 1 < 200; x++)
			differ += gdImageTrueColorPixel(a, x, y) != gdImageTrueColorPixel(b, x + 1, y);
	CHECK_INT(differ, 0);
	gdImageDestroy(a);
	gdImageDestroy(b);
}

/* The coverage-weighted mean x of the ink. */
static double ink_centre_x(gdImagePtr im)
{
	double sum = 0, weight = 0;
	for (int y = 0; y < gdImageSY(im); y++)
		for (int x = 0; x < gdImageSX(im); x++) {
			int cover = 255 - gdTrueColorGetRed(gdImageTrueColorPixel(im, x, y));
			sum += cover * x;
			weight += cover;
		}
	return weight > 0 ? sum / weight : -1;
}

static void test_text_is_placed_to_a_quarter_pixel(void)
{
	gdImagePtr a = drawn("l", 20, 40, 0), b = drawn("l", 20.5, 40, 0),
		   c = drawn("l", 20.25, 40, 0);
	CHECK_NEAR(ink_centre_x(b) - ink_centre_x(a), 0.5, 0.1);
	CHECK_NEAR(ink_centre_x(c) - ink_centre_x(a), 0.25, 0.1);
	gdImageDestroy(a);
	gdImageDestroy(b);
	gdImageDestroy(c);
}

static void test_turned_text_runs_up_from_its_start(void)
{
	gdImagePtr im = drawn("Revenue", 100, 70, 3.14159265358979 / 2);
	int box[4];
	ink_box(im, box);
	CHECK(box[2] <= 101 && box[0] >= 100 - 14); /* the glyphs stand left of x */
	CHECK(box[3] <= 71);
	CHECK_NEAR(70 - box[1], width_of("Revenue", 14), 3);
	gdImageDestroy(im);
}

static void test_text_off_the_image_is_clipped(void)
{
	gdImagePtr im = white_image(30, 20);
	struct error err = {""};
	CHECK_INT(chart_text_draw(im, CHART_FONT, 14, 0, -25, 10, "Wide label", ink, &err), 0);
	CHECK_INT(chart_text_draw(im, CHART_FONT, 14, 0, 25, 30, "Below", ink, &err), 0);
	CHECK_INT(chart_text_draw(im, CHART_FONT, 14, 0.7, 10, -5, "Above", ink, &err), 0);
	int box[4];
	ink_box(im, box);
	CHECK(box[2] > 0); /* the part of "Wide label" inside shows */
	gdImageDestroy(im);
}

static void test_translucent_text_is_lighter(void)
{
	gdImagePtr im = white_image(60, 30);
	struct error err = {""};
	CHECK_INT(chart_text_draw(im, CHART_FONT, 20, 0, 5, 22, "l", (struct rgba){0, 0, 0, 128},
				  &err), 0);
	int darkest = 255;
	for (int y = 0; y < 30; y++)
		for (int x = 0; x < 60; x++) {
			int red = gdTrueColorGetRed(gdImageTrueColorPixel(im, x, y));
			darkest = red < darkest ? red : darkest;
		}
	CHECK(darkest >= 120 && darkest <= 135);
	gdImageDestroy(im);
}

static void test_a_missing_font_is_an_error_naming_it(void)
{
	double w = 1;
	struct error err = {""};
	CHECK_INT(chart_text_width("/nonexistent/Gone.ttf", 12, "x", &w, &err), ERR_SYSTEM);
	CHECK(strstr(err.msg, "/nonexistent/Gone.ttf") != NULL);
	CHECK_NEAR(w, 0, 0);
	gdImagePtr im = white_image(10, 10);
	CHECK_INT(chart_text_draw(im, "/etc/hostname", 12, 0, 0, 5, "x", ink, &err), ERR_SYSTEM);
	CHECK(strstr(err.msg, "/etc/hostname") != NULL);
	gdImageDestroy(im);
}

struct job {
	double px;
	gdImagePtr im;
};

static void *draw_many(void *arg)
{
	struct job *job = arg;
	struct error err;
	for (int i = 0; i < 40; i++) {
		char label[32];
		snprintf(label, sizeof label, "Label %d: %.1f%%", i, i * 2.5);
		chart_text_draw(job->im, i % 2 ? CHART_FONT : CHART_BOLD_FONT, job->px + i % 5,
				i % 3 ? 0 : 0.6, 5 + i * 9.25, 20 + i * 11.5, label, ink, &err);
	}
	return NULL;
}

static void test_two_threads_draw_what_one_thread_draws(void)
{
	struct job alone = {11, white_image(400, 500)}, other_alone = {17, white_image(400, 500)};
	draw_many(&alone);
	draw_many(&other_alone);
	chart_text_release(); /* both threads start from an empty cache */
	struct job a = {11, white_image(400, 500)}, b = {17, white_image(400, 500)};
	pthread_t t;
	CHECK_INT(pthread_create(&t, NULL, draw_many, &b), 0);
	draw_many(&a);
	pthread_join(t, NULL);
	CHECK(same_pixels(a.im, alone.im));
	CHECK(same_pixels(b.im, other_alone.im));
	gdImageDestroy(alone.im);
	gdImageDestroy(other_alone.im);
	gdImageDestroy(a.im);
	gdImageDestroy(b.im);
}

static void test_text_draws_the_same_after_the_cache_is_released(void)
{
	gdImagePtr a = drawn("Q4 £1.2M", 12.75, 40, 0.3);
	chart_text_release();
	gdImagePtr b = drawn("Q4 £1.2M", 12.75, 40, 0.3);
	CHECK(same_pixels(a, b));
	gdImageDestroy(a);
	gdImageDestroy(b);
}

int main(void)
{
	RUN(test_text_width_scales_with_the_pixel_size);
	RUN(test_text_width_follows_the_fonts_kerning);
	RUN(test_text_odd_bytes_measure_as_question_marks_and_spaces);
	RUN(test_text_ink_starts_at_the_pen_and_sits_on_the_baseline);
	RUN(test_text_moved_a_whole_pixel_is_the_same_pixels_shifted);
	RUN(test_text_is_placed_to_a_quarter_pixel);
	RUN(test_turned_text_runs_up_from_its_start);
	RUN(test_text_off_the_image_is_clipped);
	RUN(test_translucent_text_is_lighter);
	RUN(test_a_missing_font_is_an_error_naming_it);
	RUN(test_two_threads_draw_what_one_thread_draws);
	RUN(test_text_draws_the_same_after_the_cache_is_released);
	chart_library_shutdown();
	return check_summary();
}
