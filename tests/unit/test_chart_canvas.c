/* test_chart_canvas: the rasterizer under the charts covers pixels by the exact area
 * of a shape, so edges are antialiased at any thickness, translucent strokes do not
 * darken where their pieces overlap, and nothing (off-image, NaN, a failed font) can
 * make it crash. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "report/chart_internal.h"

#define PI 3.14159265358979323846

static const struct rgba black = {0, 0, 0, 255};

static int grey_at(const struct canvas *cv, int x, int y)
{
	return gdTrueColorGetRed(cv->im->tpixels[y][x]);
}

/* Total ink on the canvas in pixels (black at full coverage counts one). */
static double ink(const struct canvas *cv)
{
	double sum = 0;
	for (int y = 0; y < cv->dev_h; y++)
		for (int x = 0; x < cv->dev_w; x++)
			sum += (255 - grey_at(cv, x, y)) / 255.0;
	return sum;
}

static int darkest(const struct canvas *cv)
{
	int d = 255;
	for (int y = 0; y < cv->dev_h; y++)
		for (int x = 0; x < cv->dev_w; x++)
			if (grey_at(cv, x, y) < d)
				d = grey_at(cv, x, y);
	return d;
}

static int open_canvas(struct canvas *cv, double scale)
{
	struct error err;
	return canvas_init(cv, 200, 120, scale, CHART_FONT, CHART_BOLD_FONT, &err);
}

static void test_canvas_covers_a_half_pixel_by_half(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, 1), 0);
	cv_fill_rect(&cv, 10.5, 10, 10, 10, black);
	CHECK_NEAR(grey_at(&cv, 10, 15), 128, 2);
	CHECK_INT(grey_at(&cv, 11, 15), 0);
	CHECK_NEAR(grey_at(&cv, 20, 15), 128, 2);
	CHECK_INT(grey_at(&cv, 21, 15), 255);
	CHECK_INT(grey_at(&cv, 15, 9), 255);
	CHECK_NEAR(ink(&cv), 100, 0.5);
	canvas_free(&cv);
}

static void test_canvas_circle_has_the_area_of_a_circle(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, 1), 0);
	cv_fill_circle(&cv, 60.3, 50.7, 20, black);
	CHECK_NEAR(ink(&cv), PI * 400, PI * 400 * 0.01);
	canvas_free(&cv);
	CHECK_INT(open_canvas(&cv, 2), 0); /* the same circle at 2x covers four times as much */
	cv_fill_circle(&cv, 60.3, 50.7, 20, black);
	CHECK_NEAR(ink(&cv), 4 * PI * 400, 4 * PI * 400 * 0.01);
	canvas_free(&cv);
}

static void test_canvas_thick_diagonal_lines_are_antialiased(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, 1), 0);
	cv_line(&cv, 10, 10, 180, 100, 4, black);
	int partial = 0;
	for (int y = 0; y < cv.dev_h; y++)
		for (int x = 0; x < cv.dev_w; x++)
			partial += grey_at(&cv, x, y) > 20 && grey_at(&cv, x, y) < 235;
	CHECK(partial > 200);
	double length = hypot(170, 90);
	CHECK_NEAR(ink(&cv), length * 4 + PI * 4, length * 4 * 0.02); /* plus round caps */
	canvas_free(&cv);
}

static void test_canvas_translucent_stroke_does_not_darken_at_its_joins(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, 2), 0);
	double zigzag[] = {10, 100, 40, 10, 70, 100, 75, 20, 120, 30, 130, 110, 190, 15};
	cv_stroke_polyline(&cv, zigzag, 7, 12, color_alpha(black, 0.5));
	CHECK_NEAR(darkest(&cv), 127, 2);
	canvas_free(&cv);
}

static void test_canvas_dashes_leave_gaps(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, 1), 0);
	double xy[] = {0, 50, 200, 50};
	cv_stroke_dashed(&cv, xy, 2, 2, 6, 4, black);
	int on = 0, off = 0;
	for (int x = 0; x < 200; x++)
		grey_at(&cv, x, 50) < 128 ? on++ : off++;
	CHECK_NEAR(on, 120, 6);
	CHECK_NEAR(off, 80, 6);
	canvas_free(&cv);
}

static void test_canvas_keeps_slivers_visible(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, 1), 0);
	cv_fill_tile(&cv, rect_make(50.2, 10, 0.1, 30), 1, black);
	int painted = 0;
	for (int x = 45; x < 56; x++)
		painted += grey_at(&cv, x, 20) == 0;
	CHECK_INT(painted, 1);
	canvas_free(&cv);
}

static void test_canvas_ignores_shapes_off_the_image_or_not_a_number(void)
{
	struct canvas cv;
	CHECK_INT(open_canvas(&cv, 1), 0);
	cv_fill_rect(&cv, -1e300, -1e300, 1e300, 10, black);
	cv_fill_circle(&cv, NAN, 10, 5, black);
	cv_fill_circle(&cv, 1e9, 1e9, 1e9, black);
	double bad[] = {NAN, 0, INFINITY, 5, -1e308, 1e308, 10, NAN};
	cv_stroke_polyline(&cv, bad, 4, 3, black);
	cv_fill_polygon(&cv, bad, 4, black);
	cv_hline(&cv, -1e300, 1e300, NAN, 1, black);
	cv_text(&cv, NAN, 10, ALIGN_LEFT, "x", 12, 0, black);
	double far[] = {-5000, -5000, -4000, -5000, -4000, -4000};
	cv_fill_polygon(&cv, far, 3, black);
	CHECK(cv.failed == 0);
	CHECK_NEAR(ink(&cv), 0, 1e-9);
	canvas_free(&cv);
}

static void test_canvas_stops_drawing_after_a_font_failure(void)
{
	struct canvas cv;
	struct error err;
	CHECK_INT(canvas_init(&cv, 200, 120, 1, "/nonexistent.ttf", CHART_BOLD_FONT, &err), 0);
	cv_text(&cv, 10, 30, ALIGN_LEFT, "Revenue", 12, 0, black);
	CHECK(cv.failed);
	CHECK(strstr(cv.err.msg, "/nonexistent.ttf") != NULL);
	cv_fill_rect(&cv, 0, 0, 200, 120, black);
	CHECK_NEAR(ink(&cv), 0, 1e-9);
	canvas_free(&cv);
}

int main(void)
{
	RUN(test_canvas_covers_a_half_pixel_by_half);
	RUN(test_canvas_circle_has_the_area_of_a_circle);
	RUN(test_canvas_thick_diagonal_lines_are_antialiased);
	RUN(test_canvas_translucent_stroke_does_not_darken_at_its_joins);
	RUN(test_canvas_dashes_leave_gaps);
	RUN(test_canvas_keeps_slivers_visible);
	RUN(test_canvas_ignores_shapes_off_the_image_or_not_a_number);
	RUN(test_canvas_stops_drawing_after_a_font_failure);
	chart_library_shutdown();
	return check_summary();
}
