/* test_png_encode: a chart's PNG decodes to exactly the pixels drawn, as 8-bit RGB or,
 * with up to 256 colours, as an 8-bit palette; the same image always gives the same
 * bytes (no time stamp in the file). */
#include <string.h>

#include "check.h"
#include "report/png_encode.h"

/* A small image with every kind of pixel a chart has: flat areas, a gradient, noise. */
static gdImagePtr test_image(int width, int height)
{
	gdImagePtr im = gdImageCreateTrueColor(width, height);
	unsigned state = 12345;
	for (int y = 0; y < height; y++)
		for (int x = 0; x < width; x++) {
			state = state * 1103515245u + 12345u;
			int noise = (int)(state >> 24);
			int pixel = y < height / 3	   ? gdTrueColor(255, 255, 255)
				    : y < 2 * height / 3 ? gdTrueColor(x % 256, y % 256, (x + y) % 256)
							 : gdTrueColor(noise, 255 - noise, noise / 2);
			im->tpixels[y][x] = pixel;
		}
	return im;
}

static void test_png_decodes_to_the_pixels_drawn(void)
{
	gdImagePtr im = test_image(301, 97);
	struct buf png = BUF_INIT;
	struct error err = {""};
	CHECK_INT(png_encode(im, &png, &err), 0);
	gdImagePtr back = gdImageCreateFromPngPtr((int)png.len, png.data);
	CHECK(back != NULL);
	if (back) {
		CHECK_INT(gdImageSX(back), 301);
		CHECK_INT(gdImageSY(back), 97);
		int differ = 0;
		for (int y = 0; y < 97; y++)
			for (int x = 0; x < 301; x++)
				differ += (gdImageGetTrueColorPixel(back, x, y) & 0xFFFFFF) !=
					  (im->tpixels[y][x] & 0xFFFFFF);
		CHECK_INT(differ, 0);
		gdImageDestroy(back);
	}
	buf_free(&png);
	gdImageDestroy(im);
}

static int holds(const struct buf *b, const char *chunk)
{
	for (size_t i = 0; i + 4 <= b->len; i++)
		if (memcmp(b->data + i, chunk, 4) == 0)
			return 1;
	return 0;
}

static void test_png_is_eight_bit_rgb_without_a_time_stamp(void)
{
	gdImagePtr im = test_image(40, 30);
	struct buf png = BUF_INIT;
	struct error err = {""};
	CHECK_INT(png_encode(im, &png, &err), 0);
	CHECK(png.len > 33 && memcmp(png.data, "\x89PNG\r\n\x1a\n", 8) == 0);
	/* IHDR: width, height, bit depth 8, colour type 2 (RGB), no interlace. */
	CHECK(png.len > 33 && memcmp(png.data + 12, "IHDR", 4) == 0);
	CHECK_INT((unsigned char)png.data[24], 8);
	CHECK_INT((unsigned char)png.data[25], 2);
	CHECK_INT((unsigned char)png.data[28], 0);
	CHECK(!holds(&png, "tIME"));
	buf_free(&png);
	gdImageDestroy(im);
}

static void test_the_same_image_gives_the_same_bytes_after_what_the_buffer_held(void)
{
	gdImagePtr im = test_image(120, 80);
	struct buf first = BUF_INIT, second = BUF_INIT;
	struct error err = {""};
	buf_append(&second, "kept", 4);
	CHECK_INT(png_encode(im, &first, &err), 0);
	CHECK_INT(png_encode(im, &second, &err), 0);
	CHECK_INT((long long)second.len, (long long)first.len + 4);
	CHECK(memcmp(second.data, "kept", 4) == 0);
	CHECK(memcmp(second.data + 4, first.data, first.len) == 0);
	buf_free(&first);
	buf_free(&second);
	gdImageDestroy(im);
}

/* An image of exactly `colors` distinct colours, in stripes, with antialiased-looking
 * greys among them. */
static gdImagePtr image_of_colors(int colors)
{
	gdImagePtr im = gdImageCreateTrueColor(colors, 20);
	for (int y = 0; y < 20; y++)
		for (int x = 0; x < colors; x++)
			im->tpixels[y][x] = gdTrueColor(x % 256, (x * 7) % 256, x / 256 * 40);
	return im;
}

static int colour_type(const struct buf *png)
{
	return png->len > 25 ? (unsigned char)png->data[25] : -1;
}

static int decodes_to(const struct buf *png, gdImagePtr im)
{
	gdImagePtr back = gdImageCreateFromPngPtr((int)png->len, png->data);
	if (!back)
		return 0;
	int differ = gdImageSX(back) != gdImageSX(im) || gdImageSY(back) != gdImageSY(im);
	for (int y = 0; !differ && y < gdImageSY(im); y++)
		for (int x = 0; x < gdImageSX(im); x++)
			differ += (gdImageGetTrueColorPixel(back, x, y) & 0xFFFFFF) !=
				  (im->tpixels[y][x] & 0xFFFFFF);
	gdImageDestroy(back);
	return !differ;
}

static void test_png_of_up_to_256_colours_has_a_palette_and_the_same_pixels(void)
{
	struct error err = {""};
	const int counts[] = {1, 2, 200, 256, 257, 600};
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		gdImagePtr im = image_of_colors(counts[i]);
		struct buf png = BUF_INIT, rgb = BUF_INIT;
		CHECK_INT(png_encode(im, &png, &err), 0);
		CHECK_INT(colour_type(&png), counts[i] <= 256 ? 3 : 2);
		CHECK(decodes_to(&png, im));
		if (counts[i] == 256) { /* one pixel more of a new colour, and it is RGB */
			im->tpixels[19][255] = gdTrueColor(1, 2, 3);
			CHECK_INT(png_encode(im, &rgb, &err), 0);
			CHECK_INT(colour_type(&rgb), 2);
			CHECK(decodes_to(&rgb, im));
		}
		buf_free(&png);
		buf_free(&rgb);
		gdImageDestroy(im);
	}
}

int main(void)
{
	RUN(test_png_decodes_to_the_pixels_drawn);
	RUN(test_png_is_eight_bit_rgb_without_a_time_stamp);
	RUN(test_the_same_image_gives_the_same_bytes_after_what_the_buffer_held);
	RUN(test_png_of_up_to_256_colours_has_a_palette_and_the_same_pixels);
	return check_summary();
}
