/* site_check: checks a built site folder the way a reader and a web server would see it.
 *
 *     site_check OUT_DIR [--shop-url URL] [--manifest-only]
 *
 * - manifest.json lists every file of out/ (names starting with ".cartograph" are the
 *   build's own and left out) with its right size and SHA-256, and nothing else;
 * - every href, src, srcset entry, action and poster of every page, and every url() of
 *   every style sheet and style attribute, resolves to a file in out/ that the manifest
 *   lists; "#id" parts name an element of the target page; no link leaves out/: no
 *   scheme (other than data:), no "//host", no "/absolute" path, except the shop URL
 *   (--shop-url, default /cgi-bin/shop.cgi) and what lies under it;
 * - every page is reachable from index.html by following links.
 * With --manifest-only only the first check is made.
 *
 * Prints one line per problem ("page:line: what is wrong") and a last line with the
 * counts; exits 0 when there was no problem, 1 when there were, 2 on bad usage. */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/manifest.h"
#include "report/site_fs.h"
#include "util/buf.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#define RESERVED_PREFIX ".cartograph"

struct strings {
	char **items; /* malloc'd strings; sorted once strings_sort ran */
	size_t len, cap;
};

struct link {
	char *url;  /* as the page has it, entities decoded */
	int line;   /* where it appears in the page */
	int is_nav; /* an <a href>: followed when crawling */
};

struct page {
	char *path;          /* relative to out/ */
	struct strings ids;  /* id and a[name] values, sorted */
	struct link *links;
	size_t links_len, links_cap;
	int reached;         /* found by the crawl from index.html */
};

struct checker {
	const char *out_dir;  /* the site folder */
	const char *shop_url; /* the one absolute place pages may point at */
	struct strings files; /* every file in out/ but the reserved ones, sorted */
	struct manifest manifest;
	struct page *pages;   /* the HTML files, sorted by path */
	size_t pages_len;
	long long links;      /* links checked */
	long long shop_links; /* of which to the shop URL */
	long long problems;
};

/* --- small helpers ----------------------------------------------------------------- */

static void strings_add(struct strings *s, const char *text, size_t len)
{
	if (s->len == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->items = xreallocarray(s->items, s->cap, sizeof *s->items);
	}
	char *copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	s->items[s->len++] = copy;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void strings_sort(struct strings *s)
{
	if (s->len > 1)
		qsort(s->items, s->len, sizeof *s->items, compare_strings);
}

static int strings_has(const struct strings *s, const char *text)
{
	return s->len && bsearch(&text, s->items, s->len, sizeof *s->items, compare_strings);
}

static void strings_free(struct strings *s)
{
	for (size_t i = 0; i < s->len; i++)
		free(s->items[i]);
	free(s->items);
}

static void problem(struct checker *c, const char *where, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void problem(struct checker *c, const char *where, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (line > 0)
		printf("FAIL %s:%d: ", where, line);
	else
		printf("FAIL %s: ", where);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	c->problems++;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* --- the files of out/ ------------------------------------------------------------- */

static void list_files(struct checker *c, const char *rel)
{
	char *dir = rel[0] ? site_fs_join(c->out_dir, rel) : xstrdup(c->out_dir);
	DIR *d = opendir(dir);
	if (!d) {
		problem(c, dir, 0, "cannot be read");
		free(dir);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strncmp(e->d_name, RESERVED_PREFIX, strlen(RESERVED_PREFIX)) == 0)
			continue;
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
		char *full = site_fs_join(c->out_dir, path.data);
		struct stat st;
		if (lstat(full, &st) != 0)
			problem(c, path.data, 0, "cannot be looked at");
		else if (S_ISDIR(st.st_mode))
			list_files(c, path.data);
		else if (S_ISREG(st.st_mode))
			strings_add(&c->files, path.data, path.len);
		else
			problem(c, path.data, 0, "is neither a file nor a folder");
		free(full);
		buf_free(&path);
	}
	closedir(d);
	free(dir);
}

static char *read_site_file(struct checker *c, const char *rel, size_t *len)
{
	char *full = site_fs_join(c->out_dir, rel), *text = NULL;
	struct error err;
	if (site_fs_read_all(full, &text, len, &err) < 0) {
		problem(c, rel, 0, "%s", err.msg);
		text = NULL;
	}
	free(full);
	return text;
}

/* The manifest lists exactly the files of out/, each with its size and SHA-256. */
static void check_manifest(struct checker *c)
{
	size_t len = 0;
	struct error err;
	char *text = read_site_file(c, MANIFEST_NAME, &len);
	if (!text) {
		problem(c, MANIFEST_NAME, 0, "is missing");
		return;
	}
	if (manifest_parse(MANIFEST_NAME, text, len, &c->manifest, &err) < 0)
		problem(c, MANIFEST_NAME, 0, "%s", err.msg);
	free(text);
	for (size_t i = 0; i < c->manifest.len; i++) {
		const struct manifest_entry *e = &c->manifest.entries[i];
		if (!strings_has(&c->files, e->path)) {
			problem(c, MANIFEST_NAME, 0, "lists '%s', which is not in the folder", e->path);
			continue;
		}
		size_t n = 0;
		char *bytes = read_site_file(c, e->path, &n), sha[65];
		sha256_hex_of(bytes ? bytes : "", n, sha);
		if ((long long)n != e->bytes)
			problem(c, e->path, 0, "has %zu bytes; the manifest says %lld", n, e->bytes);
		if (strcmp(sha, e->sha256) != 0)
			problem(c, e->path, 0, "has SHA-256 %.12s...; the manifest says %.12s...", sha,
				e->sha256);
		free(bytes);
	}
	for (size_t i = 0; i < c->files.len; i++)
		if (strcmp(c->files.items[i], MANIFEST_NAME) != 0 &&
		    !manifest_find(&c->manifest, c->files.items[i]))
			problem(c, c->files.items[i], 0, "is in the folder but not in the manifest");
}

/* --- reading pages ----------------------------------------------------------------- */

/* Appends s[0..len) with the character references a URL may hold decoded. */
static void decode_entities(const char *s, size_t len, struct buf *out)
{
	static const struct {
		const char *name;
		char c;
	} named[] = {{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '&') {
			buf_putc(out, s[i]);
			continue;
		}
		size_t k;
		for (k = 0; k < sizeof named / sizeof named[0]; k++) {
			size_t n = strlen(named[k].name);
			if (i + 1 + n <= len && memcmp(s + i + 1, named[k].name, n) == 0) {
				buf_putc(out, named[k].c);
				i += n;
				break;
			}
		}
		if (k < sizeof named / sizeof named[0])
			continue;
		if (i + 2 < len && s[i + 1] == '#') {
			int hex = s[i + 2] == 'x' || s[i + 2] == 'X';
			char *end;
			unsigned long v = strtoul(s + i + 2 + hex, &end, hex ? 16 : 10);
			if (end > s + i + 2 + hex && (size_t)(end - s) < len && *end == ';' && v < 128) {
				buf_putc(out, (char)v);
				i = (size_t)(end - s);
				continue;
			}
		}
		buf_putc(out, '&');
	}
}

static void add_link(struct page *p, const char *url, size_t len, int line, int is_nav)
{
	if (p->links_len == p->links_cap) {
		p->links_cap = p->links_cap ? p->links_cap * 2 : 32;
		p->links = xreallocarray(p->links, p->links_cap, sizeof *p->links);
	}
	struct link *l = &p->links[p->links_len++];
	l->url = xmalloc(len + 1);
	memcpy(l->url, url, len);
	l->url[len] = '\0';
	l->line = line;
	l->is_nav = is_nav;
}

/* Adds the url(...) references of CSS text. */
static void scan_css(struct page *p, const char *css, size_t len, int line)
{
	for (size_t i = 0; i + 4 <= len; i++) {
		if (css[i] == '\n')
			line++;
		if (strncmp(css + i, "url(", 4) != 0)
			continue;
		size_t a = i + 4, b;
		while (a < len && isspace((unsigned char)css[a]))
			a++;
		char quote = a < len && (css[a] == '"' || css[a] == '\'') ? css[a++] : 0;
		for (b = a; b < len && (quote ? css[b] != quote : css[b] != ')'); b++)
			;
		size_t end = b;
		while (!quote && end > a && isspace((unsigned char)css[end - 1]))
			end--;
		add_link(p, css + a, end - a, line, 0);
		i = b;
	}
}

/* Adds each URL of a srcset ("a.png 1x, b.png 2x"). */
static void scan_srcset(struct page *p, const char *v, int line)
{
	const char *s = v;
	while (*s) {
		while (*s == ',' || isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		const char *url = s;
		while (*s && !isspace((unsigned char)*s) && *s != ',')
			s++;
		add_link(p, url, (size_t)(s - url), line, 0);
		while (*s && *s != ',')
			s++; /* the descriptor */
	}
}

static int name_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && strncasecmp(name, want, len) == 0;
}

/* Reads one attribute of tag (name and decoded value) and notes links and ids. */
static void take_attribute(struct page *p, const char *tag, const char *name, size_t name_len,
			   const char *value, int line)
{
	if (name_is(name, name_len, "id") || (strcmp(tag, "a") == 0 && name_is(name, name_len, "name")))
		strings_add(&p->ids, value, strlen(value));
	else if (name_is(name, name_len, "href"))
		add_link(p, value, strlen(value), line, strcmp(tag, "a") == 0);
	else if (name_is(name, name_len, "src") || name_is(name, name_len, "action") ||
		 name_is(name, name_len, "poster") || name_is(name, name_len, "formaction"))
		add_link(p, value, strlen(value), line, 0);
	else if (name_is(name, name_len, "srcset"))
		scan_srcset(p, value, line);
	else if (name_is(name, name_len, "style"))
		scan_css(p, value, strlen(value), line);
}

static size_t count_lines(const char *s, size_t from, size_t to)
{
	size_t n = 0;
	for (size_t i = from; i < to; i++)
		n += s[i] == '\n';
	return n;
}

/* Reads the tag starting at html[i] == '<' (a letter follows); returns the index after
 * it. A <style> or <script> element's text is skipped (style text scanned for url()). */
static size_t read_tag(struct page *p, const char *html, size_t len, size_t i, int *line)
{
	size_t start = i;
	char tag[16] = "";
	size_t t = 0;
	for (i++; i < len && (isalnum((unsigned char)html[i]) || html[i] == '-'); i++)
		if (t + 1 < sizeof tag)
			tag[t++] = (char)tolower((unsigned char)html[i]);
	tag[t] = '\0';
	struct buf value = BUF_INIT;
	while (i < len && html[i] != '>') {
		if (isspace((unsigned char)html[i]) || html[i] == '/') {
			i++;
			continue;
		}
		size_t name = i;
		while (i < len && !isspace((unsigned char)html[i]) && html[i] != '=' && html[i] != '>' &&
		       html[i] != '/')
			i++;
		size_t name_len = i - name;
		while (i < len && isspace((unsigned char)html[i]))
			i++;
		buf_reset(&value);
		if (i < len && html[i] == '=') {
			for (i++; i < len && isspace((unsigned char)html[i]); i++)
				;
			size_t v = i, v_end;
			if (i < len && (html[i] == '"' || html[i] == '\'')) {
				char q = html[i++];
				for (v = i; i < len && html[i] != q; i++)
					;
				v_end = i;
				if (i < len)
					i++;
			} else {
				while (i < len && !isspace((unsigned char)html[i]) && html[i] != '>')
					i++;
				v_end = i;
			}
			decode_entities(html + v, v_end - v, &value);
		}
		int at = *line + (int)count_lines(html, start, name);
		take_attribute(p, tag, html + name, name_len, buf_str(&value), at);
	}
	buf_free(&value);
	*line += (int)count_lines(html, start, i);
	if (i < len)
		i++;
	if (strcmp(tag, "style") == 0 || strcmp(tag, "script") == 0) {
		char close[sizeof tag + 2];
		snprintf(close, sizeof close, "</%s", tag);
		size_t body = i;
		while (i < len && strncasecmp(html + i, close, strlen(close)) != 0)
			i++;
		if (tag[1] == 't')
			scan_css(p, html + body, i - body, *line);
		*line += (int)count_lines(html, body, i);
	}
	return i;
}

static void read_page(struct checker *c, struct page *p)
{
	size_t len = 0;
	char *html = read_site_file(c, p->path, &len);
	int line = 1;
	for (size_t i = 0; html && i < len;) {
		if (strncmp(html + i, "<!--", 4) == 0) {
			char *end = strstr(html + i + 4, "-->");
			size_t to = end ? (size_t)(end - html) + 3 : len;
			line += (int)count_lines(html, i, to);
			i = to;
		} else if (html[i] == '<' && i + 1 < len && isalpha((unsigned char)html[i + 1])) {
			i = read_tag(p, html, len, i, &line);
		} else {
			line += html[i] == '\n';
			i++;
		}
	}
	strings_sort(&p->ids);
	free(html);
}

/* --- checking links ---------------------------------------------------------------- */

static struct page *find_page(struct checker *c, const char *path)
{
	size_t lo = 0, hi = c->pages_len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(c->pages[mid].path, path);
		if (cmp == 0)
			return &c->pages[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (char)tolower((unsigned char)ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Resolves a relative URL path against the folder of from into out (a path relative to
 * out/). Returns 0 when it climbs above out/. */
static int resolve(const char *from, const char *url, size_t url_len, struct buf *out)
{
	struct buf joined = BUF_INIT;
	const char *slash = strrchr(from, '/');
	if (slash)
		buf_append(&joined, from, (size_t)(slash - from) + 1);
	for (size_t i = 0; i < url_len; i++) {
		int hi, lo;
		if (url[i] == '%' && i + 2 < url_len && (hi = hex_value(url[i + 1])) >= 0 &&
		    (lo = hex_value(url[i + 2])) >= 0) {
			buf_putc(&joined, (char)(hi * 16 + lo));
			i += 2;
		} else
			buf_putc(&joined, url[i]);
	}
	/* normalize: drop "." segments, let ".." take one back */
	char **segs = NULL;
	size_t n = 0;
	int ok = 1;
	char *text = joined.data ? joined.data : (char *)"";
	for (char *seg = text, *next; seg; seg = next) {
		next = strchr(seg, '/');
		if (next)
			*next++ = '\0';
		if (strcmp(seg, ".") == 0 || (seg[0] == '\0' && next))
			continue;
		if (strcmp(seg, "..") == 0) {
			if (n == 0)
				ok = 0;
			else
				n--;
			continue;
		}
		segs = xreallocarray(segs, n + 1, sizeof *segs);
		segs[n++] = seg;
	}
	buf_reset(out);
	for (size_t i = 0; ok && i < n; i++)
		buf_printf(out, "%s%s", i ? "/" : "", segs[i]);
	free(segs);
	buf_free(&joined);
	return ok;
}

/* Whether url is the shop URL or lies under it. */
static int is_shop_url(const struct checker *c, const char *url)
{
	size_t n = strlen(c->shop_url);
	return n && strncmp(url, c->shop_url, n) == 0 &&
	       (url[n] == '\0' || url[n] == '/' || url[n] == '?' || url[n] == '#');
}

static int has_scheme(const char *url)
{
	if (!isalpha((unsigned char)url[0]))
		return 0;
	const char *s = url;
	while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' || *s == '.')
		s++;
	return *s == ':';
}

static void check_link(struct checker *c, struct page *p, const struct link *l)
{
	const char *url = l->url;
	c->links++;
	if (!*url) {
		problem(c, p->path, l->line, "an empty link");
		return;
	}
	if (is_shop_url(c, url)) {
		c->shop_links++;
		return;
	}
	if (strncmp(url, "data:", 5) == 0)
		return;
	if (has_scheme(url) || strncmp(url, "//", 2) == 0) {
		problem(c, p->path, l->line, "'%s' leaves the site", url);
		return;
	}
	if (url[0] == '/') {
		problem(c, p->path, l->line, "'%s' is an absolute path (only the shop URL '%s' "
			"may be)", url, c->shop_url);
		return;
	}
	const char *hash = strchr(url, '#');
	size_t path_len = strcspn(url, "?#");
	struct buf target = BUF_INIT;
	struct page *to = p;
	if (path_len > 0) {
		if (!resolve(p->path, url, path_len, &target)) {
			problem(c, p->path, l->line, "'%s' leads out of the site folder", url);
			goto done;
		}
		if (target.len == 0 || url[path_len - 1] == '/') {
			problem(c, p->path, l->line, "'%s' names a folder, not a file", url);
			goto done;
		}
		if (!strings_has(&c->files, target.data)) {
			problem(c, p->path, l->line, "'%s' is not in the site (%s)", url, target.data);
			goto done;
		}
		if (!manifest_find(&c->manifest, target.data))
			problem(c, p->path, l->line, "'%s' is not in the manifest", url);
		to = find_page(c, target.data);
	}
	if (hash && hash[1] && to && !strings_has(&to->ids, hash + 1))
		problem(c, p->path, l->line, "'%s': %s has no element with id '%s'", url,
			to->path, hash + 1);
	else if (hash && !hash[1])
		problem(c, p->path, l->line, "'%s' points at no element", url);
done:
	buf_free(&target);
}

/* Marks every page reachable from p through <a href> and <link href> links. */
static void crawl(struct checker *c, struct page *start)
{
	struct page **stack = xmalloc((c->pages_len + 1) * sizeof *stack);
	size_t n = 0;
	struct buf target = BUF_INIT;
	start->reached = 1;
	stack[n++] = start;
	while (n > 0) {
		struct page *p = stack[--n];
		for (size_t i = 0; i < p->links_len; i++) {
			const char *url = p->links[i].url;
			size_t path_len = strcspn(url, "?#");
			if (!path_len || has_scheme(url) || url[0] == '/' ||
			    !resolve(p->path, url, path_len, &target) || !target.data)
				continue;
			struct page *to = find_page(c, target.data);
			if (to && !to->reached) {
				to->reached = 1;
				stack[n++] = to;
			}
		}
	}
	buf_free(&target);
	free(stack);
}

static void check_pages(struct checker *c)
{
	for (size_t i = 0; i < c->files.len; i++)
		if (ends_with(c->files.items[i], ".html"))
			c->pages_len++;
	c->pages = xcalloc(c->pages_len + 1, sizeof *c->pages);
	size_t n = 0;
	for (size_t i = 0; i < c->files.len; i++)
		if (ends_with(c->files.items[i], ".html"))
			c->pages[n++].path = c->files.items[i]; /* files is sorted: so are pages */
	/* style sheets: their url()s, checked like a page's links */
	for (size_t i = 0; i < c->files.len; i++) {
		if (!ends_with(c->files.items[i], ".css"))
			continue;
		size_t len = 0;
		char *css = read_site_file(c, c->files.items[i], &len);
		struct page sheet = {.path = c->files.items[i]};
		if (css)
			scan_css(&sheet, css, len, 1);
		for (size_t k = 0; k < sheet.links_len; k++) {
			check_link(c, &sheet, &sheet.links[k]);
			free(sheet.links[k].url);
		}
		free(sheet.links);
		free(css);
	}
	for (size_t i = 0; i < c->pages_len; i++)
		read_page(c, &c->pages[i]);
	for (size_t i = 0; i < c->pages_len; i++)
		for (size_t k = 0; k < c->pages[i].links_len; k++)
			check_link(c, &c->pages[i], &c->pages[i].links[k]);
	struct page *index = find_page(c, "index.html");
	if (!index) {
		problem(c, "index.html", 0, "is missing: the site has no front page");
		return;
	}
	crawl(c, index);
	for (size_t i = 0; i < c->pages_len; i++)
		if (!c->pages[i].reached)
			problem(c, c->pages[i].path, 0, "cannot be reached from index.html");
}

static void free_checker(struct checker *c)
{
	for (size_t i = 0; i < c->pages_len; i++) {
		for (size_t k = 0; k < c->pages[i].links_len; k++)
			free(c->pages[i].links[k].url);
		free(c->pages[i].links);
		strings_free(&c->pages[i].ids);
	}
	free(c->pages);
	strings_free(&c->files);
	manifest_free(&c->manifest);
}

int main(int argc, char **argv)
{
	struct checker c = {.shop_url = "/cgi-bin/shop.cgi"};
	int manifest_only = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--shop-url") == 0 && i + 1 < argc)
			c.shop_url = argv[++i];
		else if (strcmp(argv[i], "--manifest-only") == 0)
			manifest_only = 1;
		else if (argv[i][0] != '-' && !c.out_dir)
			c.out_dir = argv[i];
		else {
			fprintf(stderr, "usage: site_check OUT_DIR [--shop-url URL] [--manifest-only]\n");
			return 2;
		}
	}
	if (!c.out_dir) {
		fprintf(stderr, "usage: site_check OUT_DIR [--shop-url URL] [--manifest-only]\n");
		return 2;
	}
	list_files(&c, "");
	strings_sort(&c.files);
	check_manifest(&c);
	if (!manifest_only)
		check_pages(&c);
	printf("%zu files, %zu pages, %lld links (%lld to the shop): %lld problems\n",
	       c.files.len, c.pages_len, c.links, c.shop_links, c.problems);
	free_checker(&c);
	return c.problems ? 1 : 0;
}
