/* mustache: the template engine behind every report page and shop page. A template is
 * compiled once (parsed, standalone lines resolved, partials loaded and compiled) and
 * then rendered any number of times against value trees (value.h) without parsing or
 * allocating again, apart from growing the output buffer.
 *
 * It follows the mustache spec (github.com/mustache/spec) for comments, set delimiters,
 * interpolation, sections, inverted sections, partials and inheritance:
 *   {{name}}            the value, HTML-escaped          {{{name}}} {{&name}}  unescaped
 *   {{a.b.c}}           dotted names                     {{.}}  the current item
 *   {{#name}}..{{/name}} once per list item, or once if the value is truthy
 *   {{^name}}..{{/name}} when the value is falsy
 *   {{>name}}           a partial                        {{! comment }}  {{=<% %>=}}
 *   {{<layout}}{{$block}}..{{/block}}{{/layout}}  a layout with its blocks filled in
 * Falsy: missing, null, false, the empty list and the empty string. Lambdas and dynamic
 * names are not supported.
 *
 * A compiled template is read-only while rendering, so one template may be rendered
 * from several threads at once. */
#ifndef CARTOGRAPH_MUSTACHE_H
#define CARTOGRAPH_MUSTACHE_H

#include <stddef.h>

#include "report/value.h"
#include "util/buf.h"
#include "util/error.h"

/* Sections, blocks and partials nested deeper than this (in a template, or while
 * rendering) are an error. */
#define MUSTACHE_MAX_DEPTH 512
/* Partials (and layouts) including partials deeper than this are an error: a partial
 * that includes itself without a section to stop it ends here. */
#define MUSTACHE_MAX_PARTIAL_DEPTH 100

/* What a loader returns when there is no partial of that name: it renders as nothing. */
#define MUSTACHE_NO_PARTIAL 1

/* Finds partials and layouts by name for mustache_compile. */
struct mustache_loader {
	/* Appends the text of the partial called name to text and, optionally, the name
	 * messages should use for it (a file path, say) to label; returns 0,
	 * MUSTACHE_NO_PARTIAL, or a negative error code with err filled. */
	int (*load)(void *ctx, const char *name, struct buf *text, struct buf *label,
		    struct error *err);
	void *ctx; /* handed to load */
};

struct mustache;

/* Compiles len bytes of text; name is what messages call the template
 * ("product.mustache:12: section 'items' is never closed"). Every partial and layout
 * the template uses, directly or through other partials, is loaded through loader
 * (which may be NULL: no partials) and compiled now, so rendering never loads.
 * On success sets *out (free it with mustache_free) and returns 0. */
int mustache_compile(const char *name, const char *text, size_t len,
		     const struct mustache_loader *loader, struct mustache **out,
		     struct error *err);

/* Appends the template rendered against context (NULL: an empty context) to out.
 * Returns 0, or ERR_INPUT when partials or sections nest too deeply, in which case out
 * is left as it was. */
int mustache_render(const struct mustache *tmpl, const struct value *context,
		    struct buf *out, struct error *err);

/* Frees a template from mustache_compile with its partials; NULL is fine. */
void mustache_free(struct mustache *tmpl);

#endif
