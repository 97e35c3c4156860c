/* Unit tests of src/report/mustache beyond the spec: deep nesting, big lists, escaping
 * by default, error messages with template and line, the partial recursion limit,
 * loading each partial once, and that a compiled template renders the same every time. */
#include "check.h"

#include <stdlib.h>

#include "report/json_parse.h"
#include "report/mustache.h"
#include "report/value.h"

/* Partials for the tests: a NULL-terminated list of name, text pairs. */
struct partial_set {
	const char *const *pairs; /* name, text, name, text, ..., NULL */
	int loads;                /* how many times the loader was called */
};

static int load_test_partial(void *ctx, const char *name, struct buf *text, struct buf *label,
			     struct error *err)
{
	struct partial_set *set = ctx;
	set->loads++;
	if (strcmp(name, "broken-loader") == 0)
		return error_set(err, ERR_SYSTEM, "disk on fire");
	for (const char *const *p = set->pairs; p && *p; p += 2) {
		if (strcmp(p[0], name) == 0) {
			buf_puts(text, p[1]);
			buf_printf(label, "%s.mustache", name);
			return 0;
		}
	}
	return MUSTACHE_NO_PARTIAL;
}

/* Compiles and renders tmpl with JSON data and the given partials; returns the output
 * or "ERROR: message" (caller frees). */
static char *render_with_partials(const char *tmpl_text, const char *json,
				  const char *const *partials)
{
	struct partial_set set = {partials, 0};
	struct mustache_loader loader = {load_test_partial, &set};
	struct value *data = NULL;
	struct mustache *tmpl = NULL;
	struct buf out = BUF_INIT;
	struct error err;
	if (json && json_parse("data", json, strlen(json), &data, &err) < 0)
		goto failed;
	if (mustache_compile("page.mustache", tmpl_text, strlen(tmpl_text), &loader, &tmpl, &err) < 0)
		goto failed;
	if (mustache_render(tmpl, data, &out, &err) < 0)
		goto failed;
	goto done;
failed:
	buf_reset(&out);
	buf_printf(&out, "ERROR: %s", err.msg);
done:
	mustache_free(tmpl);
	value_free(data);
	return buf_detach(&out);
}

#define CHECK_RENDER_P(tmpl, json, partials, want)                                       \
	do {                                                                             \
		char *got_ = render_with_partials(tmpl, json, partials);                 \
		CHECK_STR(got_, want);                                                   \
		free(got_);                                                              \
	} while (0)

#define CHECK_RENDER(tmpl, json, want) CHECK_RENDER_P(tmpl, json, NULL, want)

static void test_render_escapes_html_by_default(void)
{
	const char *data = "{\"name\": \"<b>Tom & 'Jerry'</b> \\\"x\\\"\"}";
	CHECK_RENDER("{{name}}", data, "&lt;b&gt;Tom &amp; &#39;Jerry&#39;&lt;/b&gt; &quot;x&quot;");
	CHECK_RENDER("{{{name}}}", data, "<b>Tom & 'Jerry'</b> \"x\"");
	CHECK_RENDER("{{& name }}", data, "<b>Tom & 'Jerry'</b> \"x\"");
}

static void test_render_missing_keys_are_empty_and_falsy(void)
{
	CHECK_RENDER("[{{nope}}][{{a.b.c}}][{{#nope}}x{{/nope}}][{{^nope}}y{{/nope}}]",
		     "{\"a\": {\"b\": 1}}", "[][][][y]");
	CHECK_RENDER("[{{nope}}]", NULL, "[]");
	CHECK_RENDER("{{#a}}{{b}}{{/a}}", "{\"a\": {}, \"b\": \"outer\"}", "outer");
}

static void test_render_values_print_as_shoppers_expect(void)
{
	CHECK_RENDER("{{a}} {{b}} {{c}} {{d}} {{e}} [{{f}}] [{{g}}] [{{h}}]",
		     "{\"a\": 12, \"b\": 12.50, \"c\": -0.001, \"d\": true, \"e\": false,"
		     " \"f\": null, \"g\": [1], \"h\": {}}",
		     "12 12.5 -0.001 true false [] [] []");
}

static void test_render_empty_string_and_empty_list_are_falsy(void)
{
	CHECK_RENDER("{{#s}}s{{/s}}{{^s}}no s{{/s}} {{#l}}l{{/l}}{{^l}}no l{{/l}} "
		     "{{#z}}zero is a value{{/z}}",
		     "{\"s\": \"\", \"l\": [], \"z\": 0}", "no s no l zero is a value");
}

static void test_render_lists_of_strings_with_implicit_iterator(void)
{
	CHECK_RENDER("{{#tags}}<{{.}}>{{/tags}}", "{\"tags\": [\"a&b\", \"c\"]}",
		     "<a&amp;b><c>");
}

static void test_render_nests_200_sections_deep(void)
{
	struct buf tmpl = BUF_INIT, json = BUF_INIT, want = BUF_INIT;
	for (int i = 0; i < 200; i++) {
		buf_printf(&tmpl, "{{#n%d}}%d.", i, i);
		buf_printf(&json, "{\"n%d\": ", i);
		buf_printf(&want, "%d.", i);
	}
	buf_puts(&tmpl, "{{leaf}}");
	buf_puts(&json, "{\"leaf\": \"bottom\"}");
	buf_puts(&want, "bottom");
	for (int i = 199; i >= 0; i--) {
		buf_printf(&tmpl, "{{/n%d}}", i);
		buf_putc(&json, '}');
	}
	CHECK_RENDER(tmpl.data, json.data, want.data);
	buf_free(&tmpl);
	buf_free(&json);
	buf_free(&want);
}

static void test_compile_refuses_sections_nested_too_deep(void)
{
	struct buf tmpl = BUF_INIT;
	for (int i = 0; i <= MUSTACHE_MAX_DEPTH; i++)
		buf_puts(&tmpl, "{{#a}}\n");
	char *got = render_with_partials(tmpl.data, NULL, NULL);
	CHECK_STR(got, "ERROR: page.mustache:513: sections nested more than 512 deep");
	free(got);
	buf_free(&tmpl);
}

static void test_render_huge_list_of_100k_items(void)
{
	struct value *data = value_map_new();
	struct value *items = value_map_add_list(data, "items");
	for (int i = 0; i < 100000; i++) {
		struct value *item = value_list_add_map(items);
		value_map_set_int(item, "id", i);
		value_map_set_str(item, "name", "x<y");
	}
	const char *text = "{{#items}}{{id}}:{{name}};{{/items}}";
	struct mustache *tmpl;
	struct error err;
	struct buf out = BUF_INIT;
	CHECK_INT(mustache_compile("list", text, strlen(text), NULL, &tmpl, &err), 0);
	CHECK_INT(mustache_render(tmpl, data, &out, &err), 0);
	CHECK(strncmp(out.data, "0:x&lt;y;1:x&lt;y;", 18) == 0);
	CHECK(out.len > 100000 * 10);
	CHECK_STR(out.data + out.len - strlen(";99999:x&lt;y;"), ";99999:x&lt;y;");
	mustache_free(tmpl);
	value_free(data);
	buf_free(&out);
}

static void test_compile_errors_name_the_template_and_line(void)
{
	CHECK_RENDER("<ul>\n{{#items}}\n<li>{{name}}</li>\n",
		     NULL, "ERROR: page.mustache:2: section 'items' is never closed");
	CHECK_RENDER("a\n{{^none}}\n{{$b}}x{{/b}}\n",
		     NULL, "ERROR: page.mustache:2: inverted section 'none' is never closed");
	CHECK_RENDER("{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}",
		     NULL, "ERROR: page.mustache:3: closing tag 'a' does not match section 'b' "
			   "opened on line 2");
	CHECK_RENDER("x\n\n{{/a}}", NULL, "ERROR: page.mustache:3: closing tag 'a' has no section "
					  "to close");
	CHECK_RENDER("a\nb {{name\nc", NULL, "ERROR: page.mustache:2: unclosed tag: '{{' has no "
					     "'}}' after it");
	CHECK_RENDER("{{{name}}", NULL, "ERROR: page.mustache:1: unclosed tag: '{{{' has no '}}}' "
					"after it");
	CHECK_RENDER("\n{{ }}", NULL, "ERROR: page.mustache:2: empty tag");
	CHECK_RENDER("{{first name}}", NULL, "ERROR: page.mustache:1: tag name 'first name' has "
					     "whitespace in it");
	CHECK_RENDER("{{a..b}}", NULL, "ERROR: page.mustache:1: name 'a..b' has an empty part");
	CHECK_RENDER("{{=<%>=}}", NULL, "ERROR: page.mustache:1: set-delimiters tag needs two "
					"delimiters, like {{=<% %>=}}");
	CHECK_RENDER("{{=<% %>=}}\n<%#a%>\n<%/b%>", NULL,
		     "ERROR: page.mustache:3: closing tag 'b' does not match section 'a' opened "
		     "on line 2");
}

static void test_compile_errors_in_partials_name_the_partial(void)
{
	const char *const partials[] = {"item", "line 1\n{{#x}}", NULL};
	CHECK_RENDER_P("{{>item}}", NULL, partials,
		       "ERROR: item.mustache:2: section 'x' is never closed");
	CHECK_RENDER_P("a {{>broken-loader}}", NULL, partials,
		       "ERROR: partial 'broken-loader': disk on fire");
}

static void test_missing_partial_renders_as_nothing(void)
{
	CHECK_RENDER_P("[{{>nowhere}}]", NULL, NULL, "[]");
}

static void test_partial_recursion_stops_at_the_limit_with_an_error(void)
{
	const char *const partials[] = {"self", "x\n{{>self}}", NULL};
	CHECK_RENDER_P("{{>self}}", NULL, partials,
		       "ERROR: self.mustache:2: partial 'self' nested more than 100 deep (does "
		       "it include itself?)");
	const char *const layouts[] = {"loop", "{{<loop}}{{/loop}}", NULL};
	CHECK_RENDER_P("{{<loop}}{{/loop}}", NULL, layouts,
		       "ERROR: loop.mustache:1: parent 'loop' nested more than 100 deep (does "
		       "it include itself?)");
}

static void test_recursive_partial_follows_the_data_and_loads_once(void)
{
	const char *const partials[] = {
		"node", "{{name}}{{#kids}}({{>node}}){{/kids}}", NULL};
	struct partial_set set = {partials, 0};
	struct mustache_loader loader = {load_test_partial, &set};
	/* Leaves say they have no kids, or {{#kids}} would find their parent's. */
	const char *json = "{\"name\": \"root\", \"kids\": [{\"name\": \"a\", \"kids\": "
			   "[{\"name\": \"a1\", \"kids\": []}]}, {\"name\": \"b\", "
			   "\"kids\": []}]}";
	const char *text = "{{>node}} {{>node}}";
	struct value *data;
	struct mustache *tmpl;
	struct error err;
	struct buf out = BUF_INIT;
	CHECK_INT(json_parse("d", json, strlen(json), &data, &err), 0);
	CHECK_INT(mustache_compile("tree", text, strlen(text), &loader, &tmpl, &err), 0);
	CHECK_INT(set.loads, 1);
	CHECK_INT(mustache_render(tmpl, data, &out, &err), 0);
	CHECK_STR(out.data, "root(a(a1))(b) root(a(a1))(b)");
	mustache_free(tmpl);
	value_free(data);
	buf_free(&out);
}

static void test_render_twice_gives_the_same_bytes(void)
{
	const char *const partials[] = {
		"layout", "<html>\n<title>{{$title}}Shop{{/title}}</title>\n<body>\n"
			  "  {{$body}}\n  {{/body}}\n</body>\n</html>\n",
		"review", "<li>{{author}}: {{text}}</li>\n", NULL};
	struct partial_set set = {partials, 0};
	struct mustache_loader loader = {load_test_partial, &set};
	const char *text = "{{<layout}}\n{{$title}}{{name}}{{/title}}\n{{$body}}\n"
			   "<h1>{{name}}</h1>\n<ul>\n{{#reviews}}\n  {{>review}}\n{{/reviews}}\n"
			   "</ul>\n{{/body}}\n{{/layout}}\n";
	const char *json = "{\"name\": \"Mug <XL>\", \"reviews\": [{\"author\": \"Ann\", "
			   "\"text\": \"Great & big\"}, {\"author\": \"Bo\", \"text\": \"ok\"}]}";
	struct value *data;
	struct mustache *tmpl;
	struct error err;
	struct buf first = BUF_INIT, second = BUF_INIT;
	CHECK_INT(json_parse("d", json, strlen(json), &data, &err), 0);
	CHECK_INT(mustache_compile("product.mustache", text, strlen(text), &loader, &tmpl, &err), 0);
	CHECK_INT(mustache_render(tmpl, data, &first, &err), 0);
	CHECK_INT(mustache_render(tmpl, data, &second, &err), 0);
	CHECK_STR(first.data, "<html>\n<title>Mug &lt;XL&gt;</title>\n<body>\n"
			      "  <h1>Mug &lt;XL&gt;</h1>\n  <ul>\n"
			      "    <li>Ann: Great &amp; big</li>\n    <li>Bo: ok</li>\n"
			      "  </ul>\n</body>\n</html>\n");
	CHECK_STR(second.data, first.data);
	/* Rendering appends; a failed render leaves the buffer as it was. */
	CHECK_INT(mustache_render(tmpl, data, &second, &err), 0);
	CHECK_INT(second.len, 2 * first.len);
	mustache_free(tmpl);
	value_free(data);
	buf_free(&first);
	buf_free(&second);
}

static void test_failed_render_leaves_the_output_as_it_was(void)
{
	const char *const partials[] = {"self", "{{>self}}", NULL};
	struct partial_set set = {partials, 0};
	struct mustache_loader loader = {load_test_partial, &set};
	struct mustache *tmpl;
	struct error err;
	struct buf out = BUF_INIT;
	buf_puts(&out, "kept");
	CHECK_INT(mustache_compile("t", "a{{>self}}", 10, &loader, &tmpl, &err), 0);
	CHECK_INT(mustache_render(tmpl, NULL, &out, &err), ERR_INPUT);
	CHECK_STR(out.data, "kept");
	mustache_free(tmpl);
	buf_free(&out);
}

static void test_standalone_tags_leave_no_blank_lines_with_crlf(void)
{
	CHECK_RENDER("<ul>\r\n  {{#items}}\r\n  <li>{{.}}</li>\r\n  {{/items}}\r\n</ul>\r\n",
		     "{\"items\": [1, 2]}", "<ul>\r\n  <li>1</li>\r\n  <li>2</li>\r\n</ul>\r\n");
}

static void test_blocks_fill_a_shared_layout_with_defaults(void)
{
	const char *const partials[] = {
		"layout", "<title>{{$title}}Cartograph{{/title}}</title>\n"
			  "<main>\n{{$main}}\n<p>empty</p>\n{{/main}}\n</main>\n", NULL};
	CHECK_RENDER_P("{{<layout}}{{/layout}}", NULL, partials,
		       "<title>Cartograph</title>\n<main>\n<p>empty</p>\n</main>\n");
	CHECK_RENDER_P("{{<layout}}\n  {{$main}}\n    <p>{{n}} orders</p>\n  {{/main}}\n"
		       "{{/layout}}\n", "{\"n\": 3}", partials,
		       "<title>Cartograph</title>\n<main>\n<p>3 orders</p>\n</main>\n");
}

static void test_render_with_null_template_free_is_safe(void)
{
	mustache_free(NULL);
	value_free(NULL);
	struct mustache *tmpl;
	struct error err;
	struct buf out = BUF_INIT;
	CHECK_INT(mustache_compile("empty", "", 0, NULL, &tmpl, &err), 0);
	CHECK_INT(mustache_render(tmpl, NULL, &out, &err), 0);
	CHECK_STR(buf_str(&out), "");
	mustache_free(tmpl);
	buf_free(&out);
}

int main(void)
{
	RUN(test_render_escapes_html_by_default);
	RUN(test_render_missing_keys_are_empty_and_falsy);
	RUN(test_render_values_print_as_shoppers_expect);
	RUN(test_render_empty_string_and_empty_list_are_falsy);
	RUN(test_render_lists_of_strings_with_implicit_iterator);
	RUN(test_render_nests_200_sections_deep);
	RUN(test_compile_refuses_sections_nested_too_deep);
	RUN(test_render_huge_list_of_100k_items);
	RUN(test_compile_errors_name_the_template_and_line);
	RUN(test_compile_errors_in_partials_name_the_partial);
	RUN(test_missing_partial_renders_as_nothing);
	RUN(test_partial_recursion_stops_at_the_limit_with_an_error);
	RUN(test_recursive_partial_follows_the_data_and_loads_once);
	RUN(test_render_twice_gives_the_same_bytes);
	RUN(test_failed_render_leaves_the_output_as_it_was);
	RUN(test_standalone_tags_leave_no_blank_lines_with_crlf);
	RUN(test_blocks_fill_a_shared_layout_with_defaults);
	RUN(test_render_with_null_template_free_is_safe);
	return check_summary();
}
