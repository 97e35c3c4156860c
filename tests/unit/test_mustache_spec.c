/* The mustache spec (../shared/mustache-spec): every test of the parts the engine
 * implements, run as written. The spec files are read with json-c; each test's data is
 * turned back into JSON text and read again with our own json_parse, and the tree we
 * get is checked against json-c's by printing it with value_to_json, so the parser is
 * exercised on all the spec's data too. Prints "file: passed/total" per file and the
 * name, template, expected and actual output of any failing test. */
#include "check.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <unistd.h>

#include "report/json_parse.h"
#include "report/mustache.h"
#include "report/value.h"

#define SPEC_DIR "../shared/mustache-spec"

static const char *const spec_files[] = {
	"comments.json", "delimiters.json", "interpolation.json", "inverted.json",
	"partials.json", "sections.json", "~inheritance.json",
};

/* Partials come from the test's "partials" object. */
static int load_spec_partial(void *ctx, const char *name, struct buf *text, struct buf *label,
			     struct error *err)
{
	(void)label;
	(void)err;
	json_object *partials = ctx, *partial;
	if (!partials || !json_object_object_get_ex(partials, name, &partial))
		return MUSTACHE_NO_PARTIAL;
	buf_append(text, json_object_get_string(partial),
		   (size_t)json_object_get_string_len(partial));
	return 0;
}

/* Reads the test's data through json_parse and checks it against json-c's reading:
 * both printed back must parse to equal json-c objects. Returns the tree or NULL. */
static struct value *data_through_our_parser(json_object *data, const char *test_name)
{
	const char *text = json_object_to_json_string_ext(data, JSON_C_TO_STRING_PLAIN);
	struct value *v;
	struct error err;
	if (json_parse("data", text, strlen(text), &v, &err) < 0) {
		printf("    %s: json_parse failed: %s\n", test_name, err.msg);
		return NULL;
	}
	struct buf ours = BUF_INIT;
	value_to_json(v, &ours);
	json_object *back = json_tokener_parse(buf_str(&ours));
	if (!back || !json_object_equal(back, data)) {
		printf("    %s: data read back differs: %s\n", test_name, buf_str(&ours));
		value_free(v);
		v = NULL;
	}
	json_object_put(back);
	buf_free(&ours);
	return v;
}

/* Runs one spec test; returns 1 when it passed. */
static int run_spec_test(const char *file, json_object *test)
{
	json_object *name_obj, *template_obj, *expected_obj, *data, *partials = NULL;
	json_object_object_get_ex(test, "name", &name_obj);
	json_object_object_get_ex(test, "template", &template_obj);
	json_object_object_get_ex(test, "expected", &expected_obj);
	json_object_object_get_ex(test, "data", &data);
	json_object_object_get_ex(test, "partials", &partials);
	const char *name = json_object_get_string(name_obj);
	const char *tmpl_text = json_object_get_string(template_obj);
	const char *expected = json_object_get_string(expected_obj);

	struct mustache_loader loader = {load_spec_partial, partials};
	struct mustache *tmpl = NULL;
	struct buf out = BUF_INIT;
	struct error err;
	int passed = 0;
	struct value *context = data_through_our_parser(data, name);
	if (!context)
		goto done;
	if (mustache_compile("test", tmpl_text, (size_t)json_object_get_string_len(template_obj),
			     &loader, &tmpl, &err) < 0) {
		printf("FAIL %s: %s\n    compile error: %s\n", file, name, err.msg);
		goto done;
	}
	if (mustache_render(tmpl, context, &out, &err) < 0) {
		printf("FAIL %s: %s\n    render error: %s\n", file, name, err.msg);
		goto done;
	}
	passed = strcmp(buf_str(&out), expected) == 0;
	if (!passed) {
		struct buf shown = BUF_INIT;
		printf("FAIL %s: %s\n", file, name);
		buf_json_string(&shown, tmpl_text, strlen(tmpl_text));
		printf("    template: %s\n", buf_str(&shown));
		buf_reset(&shown);
		buf_json_string(&shown, expected, strlen(expected));
		printf("    expected: %s\n", buf_str(&shown));
		buf_reset(&shown);
		buf_json_string(&shown, buf_str(&out), out.len);
		printf("    got:      %s\n", buf_str(&shown));
		buf_free(&shown);
	}
done:
	mustache_free(tmpl);
	value_free(context);
	buf_free(&out);
	return passed;
}

static void run_spec_file(const char *file)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", SPEC_DIR, file);
	json_object *spec = json_object_from_file(path);
	json_object *tests;
	if (!spec || !json_object_object_get_ex(spec, "tests", &tests)) {
		printf("FAIL %s: cannot read the spec file\n", path);
		check_failed++;
		json_object_put(spec);
		return;
	}
	size_t count = json_object_array_length(tests), passed = 0;
	for (size_t i = 0; i < count; i++)
		passed += (size_t)run_spec_test(file, json_object_array_get_idx(tests, i));
	printf("%s: %zu/%zu\n", file, passed, count);
	check_passed += (int)passed;
	check_failed += (int)(count - passed);
	json_object_put(spec);
}

int main(void)
{
	(void)check_current_failed; /* each spec test is counted here, not through RUN */
	if (access(SPEC_DIR, R_OK) != 0) {
		printf("mustache spec not found at %s: skipped\n", SPEC_DIR);
		return check_summary();
	}
	for (size_t i = 0; i < sizeof spec_files / sizeof spec_files[0]; i++)
		run_spec_file(spec_files[i]);
	return check_summary();
}
