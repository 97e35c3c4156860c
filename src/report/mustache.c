/* mustache: compiling and rendering templates.
 *
 * Compiling goes in three passes over a template:
 *   1. tokenize: split the text into text and tags, following set-delimiter tags,
 *      checking that every section is closed by a tag of the same name;
 *   2. standalone lines: a line holding only whitespace and one tag that prints
 *      nothing (section, comment, partial, ...) disappears from the output, whitespace
 *      and newline included; the whitespace before a standalone partial becomes the
 *      partial's indentation;
 *   3. build: turn the tokens into a flat array of nodes, where a section's children
 *      are the nodes right after it up to its `end`. Blocks whose opening tag stands
 *      alone lose the indentation their lines share ("dedent"), which the place they
 *      are rendered at gives back.
 * Partials are compiled into a cache shared by a template and all its partials, and
 * nodes refer to them by their number in the cache.
 *
 * Rendering walks the nodes with a stack of context values, a stack of indentation
 * strings (put in front of each template line rendered inside an indented partial or
 * block) and a stack of layouts being filled in ({{<layout}} tags), whose blocks
 * override the layout's blocks of the same name; the outermost template wins. */
#include "report/mustache.h"

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum node_kind {
	NODE_TEXT,     /* literal text */
	NODE_ESCAPED,  /* {{name}}: the value, HTML-escaped */
	NODE_RAW,      /* {{{name}}} or {{&name}}: the value as it is */
	NODE_SECTION,  /* {{#name}}..{{/name}} */
	NODE_INVERTED, /* {{^name}}..{{/name}} */
	NODE_PARTIAL,  /* {{>name}} */
	NODE_PARENT,   /* {{<name}}..{{/name}}: a layout, with blocks inside overriding its own */
	NODE_BLOCK,    /* {{$name}}..{{/name}}: a place a child template may fill */
};

/* One part of a dotted name: "a.b" has two. */
struct name_part {
	const char *key; /* into the template's source */
	size_t len;      /* bytes in key */
	uint64_t hash;   /* value_key_hash(key, len) */
};

struct node {
	enum node_kind kind;
	uint32_t end;        /* SECTION, INVERTED, PARENT, BLOCK: one past the last node inside */
	uint32_t line;       /* line of the tag (TEXT: where it starts), for messages */
	int standalone;      /* PARTIAL, PARENT, BLOCK: the tag stood alone on its line, so its
	                        content starts a line and gets indent on every line */
	int starts_line;     /* TEXT: begins at the start of a line (needed for dedent) */
	const char *text;    /* TEXT: the bytes; tags: the name as written */
	size_t len;          /* bytes in text */
	size_t newlines;     /* TEXT: newlines in text */
	const char *indent;  /* standalone PARTIAL, PARENT, BLOCK: indentation of each line */
	size_t indent_len;   /* bytes in indent */
	uint32_t first_part; /* ESCAPED, RAW, SECTION, INVERTED: first name part in parts */
	uint32_t part_count; /* number of name parts; 0 for the current item "." */
	uint64_t hash;       /* BLOCK: value_key_hash of the name */
	uint32_t partial;    /* PARTIAL, PARENT: number of the template in the partial cache */
};

struct partial_entry {
	char *name;             /* the name in {{>name}} */
	int loaded;             /* the loader was asked */
	struct mustache *tmpl;  /* the compiled partial; NULL when there is none */
};

/* The partials of one top-level template and of its partials, each compiled once. */
struct partial_cache {
	const struct mustache_loader *loader; /* NULL: no partials */
	struct partial_entry *entries;        /* in the order they were first named */
	size_t len;                           /* entries in use */
	size_t cap;                           /* entries allocated */
};

struct mustache {
	char *name;                  /* what messages call the template */
	char *source;                /* a copy of the text; nodes point into it */
	size_t source_len;           /* bytes in source */
	struct node *nodes;          /* the template, flattened */
	uint32_t node_count;         /* nodes in use */
	uint32_t node_cap;           /* nodes allocated */
	struct name_part *parts;     /* the parts of every dotted name */
	uint32_t part_count;         /* parts in use */
	uint32_t part_cap;           /* parts allocated */
	char **owned;                /* dedented texts the nodes point into */
	size_t owned_count;          /* owned in use */
	size_t owned_cap;            /* owned allocated */
	struct partial_cache *cache; /* shared with the partials */
	int owns_cache;              /* this is the top-level template */
};

/* ---- Tokens ---------------------------------------------------------------------- */

enum token_kind {
	TOK_TEXT, TOK_ESCAPED, TOK_RAW, TOK_SECTION, TOK_INVERTED, TOK_CLOSE,
	TOK_PARTIAL, TOK_PARENT, TOK_BLOCK, TOK_COMMENT, TOK_DELIMITERS
};

struct token {
	enum token_kind kind;
	uint32_t line;                  /* line where the token starts */
	size_t begin, end;              /* source span: text (trimmed by standalone lines),
	                                   or the whole tag, delimiters included */
	size_t orig_begin, orig_end;    /* TEXT: the span before trimming */
	size_t name_begin, name_end;    /* tags: the content, whitespace trimmed */
	size_t indent_begin, indent_end; /* standalone tags: the whitespace before them */
	size_t partner;                 /* CLOSE: the opening token; openers: their CLOSE */
	int standalone;                 /* the tag's line disappears from the output */
};

struct compiler {
	struct mustache *t;     /* the template being compiled */
	const char *src;        /* t->source */
	size_t len;             /* bytes in src */
	struct token *tokens;   /* from pass 1 */
	size_t token_count;     /* tokens in use */
	size_t token_cap;       /* tokens allocated */
	struct error *err;      /* where a failure is described */
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static uint32_t count_newlines(const char *s, size_t len)
{
	uint32_t n = 0;
	const char *end = s + len;
	while ((s = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* Finds delim (optionally right after the character before, when before != 0) in
 * src[from, len); returns the offset of the match (of before, if given) or len. */
static size_t find_delimiter(const char *src, size_t from, size_t len, char before,
			     const char *delim, size_t delim_len)
{
	size_t need = delim_len + (before ? 1 : 0);
	char first = before ? before : delim[0];
	const char *skip = before ? delim : delim + 1;
	size_t skip_len = before ? delim_len : delim_len - 1;
	while (from + need <= len) {
		const char *hit = memchr(src + from, first, len - from - need + 1);
		if (!hit)
			break;
		size_t at = (size_t)(hit - src);
		if (memcmp(src + at + 1, skip, skip_len) == 0)
			return at;
		from = at + 1;
	}
	return len;
}

static const char *kind_word(enum token_kind kind)
{
	switch (kind) {
	case TOK_INVERTED: return "inverted section";
	case TOK_PARENT: return "parent";
	case TOK_BLOCK: return "block";
	default: return "section";
	}
}

static int compile_error(struct compiler *c, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int compile_error(struct compiler *c, uint32_t line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return error_set(c->err, ERR_INPUT, "%s:%u: %s", c->t->name, line, msg);
}

static struct token *add_token(struct compiler *c, enum token_kind kind, uint32_t line,
			       size_t begin, size_t end)
{
	if (c->token_count == c->token_cap) {
		c->token_cap = c->token_cap ? 2 * c->token_cap : 64;
		c->tokens = xreallocarray(c->tokens, c->token_cap, sizeof *c->tokens);
	}
	struct token *tok = &c->tokens[c->token_count++];
	memset(tok, 0, sizeof *tok);
	tok->kind = kind;
	tok->line = line;
	tok->begin = tok->orig_begin = begin;
	tok->end = tok->orig_end = end;
	return tok;
}

/* Reads the new delimiters of a {{=open close=}} tag from src[begin, end). */
static int parse_delimiters(struct compiler *c, uint32_t line, size_t begin, size_t end,
			    const char **open, size_t *open_len, const char **close,
			    size_t *close_len)
{
	size_t a = begin;
	while (a < end && !is_space(c->src[a]) && c->src[a] != '=')
		a++;
	size_t b = a;
	while (b < end && is_space(c->src[b]))
		b++;
	size_t e = b;
	while (e < end && !is_space(c->src[e]) && c->src[e] != '=')
		e++;
	if (a == begin || b == a || e == b || e != end)
		return compile_error(c, line, "set-delimiters tag needs two delimiters, like "
					      "{{=<%% %%>=}}");
	*open = c->src + begin;
	*open_len = a - begin;
	*close = c->src + b;
	*close_len = e - b;
	return 0;
}

/* Checks that a tag's name is a name: not empty, no whitespace inside. */
static int check_name(struct compiler *c, const struct token *tok)
{
	size_t n = tok->name_end - tok->name_begin;
	if (!n)
		return compile_error(c, tok->line, "empty tag");
	for (size_t i = tok->name_begin; i < tok->name_end; i++)
		if (is_space(c->src[i]))
			return compile_error(c, tok->line, "tag name '%.*s' has whitespace in it",
					     (int)n, c->src + tok->name_begin);
	return 0;
}

/* Pairs a closing tag with the section open on top of the stack. */
static int close_section(struct compiler *c, size_t close, size_t *open_stack,
			 size_t *open_count)
{
	struct token *tok = &c->tokens[close];
	const char *name = c->src + tok->name_begin;
	int n = (int)(tok->name_end - tok->name_begin);
	if (!*open_count)
		return compile_error(c, tok->line, "closing tag '%.*s' has no section to close",
				     n, name);
	struct token *open = &c->tokens[open_stack[*open_count - 1]];
	int open_n = (int)(open->name_end - open->name_begin);
	if (open_n != n || memcmp(c->src + open->name_begin, name, (size_t)n) != 0)
		return compile_error(c, tok->line,
				     "closing tag '%.*s' does not match %s '%.*s' opened on "
				     "line %u",
				     n, name, kind_word(open->kind), open_n,
				     c->src + open->name_begin, open->line);
	tok->partner = open_stack[*open_count - 1];
	open->partner = close;
	(*open_count)--;
	return 0;
}

/* Pass 1: splits the source into tokens. */
static int tokenize(struct compiler *c)
{
	const char *open = "{{", *close = "}}";
	size_t open_len = 2, close_len = 2;
	size_t open_stack[MUSTACHE_MAX_DEPTH];
	size_t open_count = 0;
	size_t pos = 0;
	uint32_t line = 1;
	int rc = 0;
	while (pos < c->len) {
		size_t at = find_delimiter(c->src, pos, c->len, 0, open, open_len);
		if (at > pos) {
			add_token(c, TOK_TEXT, line, pos, at);
			line += count_newlines(c->src + pos, at - pos);
		}
		if (at == c->len)
			break;
		size_t p = at + open_len;
		char sigil = p < c->len ? c->src[p] : '\0';
		enum token_kind kind = TOK_ESCAPED;
		char before_close = 0;
		switch (sigil) {
		case '{': kind = TOK_RAW; before_close = '}'; break;
		case '&': kind = TOK_RAW; break;
		case '#': kind = TOK_SECTION; break;
		case '^': kind = TOK_INVERTED; break;
		case '/': kind = TOK_CLOSE; break;
		case '>': kind = TOK_PARTIAL; break;
		case '<': kind = TOK_PARENT; break;
		case '$': kind = TOK_BLOCK; break;
		case '!': kind = TOK_COMMENT; break;
		case '=': kind = TOK_DELIMITERS; before_close = '='; break;
		default: break;
		}
		if (kind != TOK_ESCAPED)
			p++;
		size_t q = find_delimiter(c->src, p, c->len, before_close, close, close_len);
		if (q == c->len) {
			int extra = before_close == '}'; /* a triple mustache */
			return compile_error(c, line, "unclosed tag: '%.*s%s' has no '%s%.*s' after it",
					     (int)open_len, open, extra ? "{" : "", extra ? "}" : "",
					     (int)close_len, close);
		}
		size_t tag_end = q + (before_close ? 1 : 0) + close_len;
		size_t cb = p, ce = q;
		while (cb < ce && is_space(c->src[cb]))
			cb++;
		while (ce > cb && is_space(c->src[ce - 1]))
			ce--;
		struct token *tok = add_token(c, kind, line, at, tag_end);
		tok->name_begin = cb;
		tok->name_end = ce;
		size_t index = c->token_count - 1;
		if (kind == TOK_DELIMITERS) {
			rc = parse_delimiters(c, line, cb, ce, &open, &open_len, &close, &close_len);
		} else if (kind != TOK_COMMENT) {
			rc = check_name(c, tok);
		}
		if (rc < 0)
			return rc;
		if (kind == TOK_SECTION || kind == TOK_INVERTED || kind == TOK_PARENT ||
		    kind == TOK_BLOCK) {
			if (open_count == MUSTACHE_MAX_DEPTH)
				return compile_error(c, line, "sections nested more than %d deep",
						     MUSTACHE_MAX_DEPTH);
			open_stack[open_count++] = index;
		} else if (kind == TOK_CLOSE && (rc = close_section(c, index, open_stack,
								     &open_count)) < 0) {
			return rc;
		}
		line += count_newlines(c->src + at, tag_end - at);
		pos = tag_end;
	}
	if (open_count) {
		const struct token *open_tok = &c->tokens[open_stack[open_count - 1]];
		return compile_error(c, open_tok->line, "%s '%.*s' is never closed",
				     kind_word(open_tok->kind),
				     (int)(open_tok->name_end - open_tok->name_begin),
				     c->src + open_tok->name_begin);
	}
	return 0;
}

/* ---- Pass 2: standalone lines ---------------------------------------------------- */

static int is_inheritance_tag(const struct compiler *c, const struct token *tok)
{
	if (tok->kind == TOK_PARENT || tok->kind == TOK_BLOCK)
		return 1;
	return tok->kind == TOK_CLOSE && is_inheritance_tag(c, &c->tokens[tok->partner]);
}

/* Whether the tags first..last, with nothing between them, may form a standalone line:
 * one tag that prints nothing, or several parent and block tags ("{{<page}}{{$body}}"). */
static int may_stand_alone(const struct compiler *c, size_t first, size_t last)
{
	if (first == last) {
		enum token_kind k = c->tokens[first].kind;
		return k != TOK_ESCAPED && k != TOK_RAW;
	}
	for (size_t i = first; i <= last; i++)
		if (!is_inheritance_tag(c, &c->tokens[i]))
			return 0;
	return 1;
}

/* Whether the text before token i on its line is only blanks; sets the span of those
 * blanks. */
static int line_starts_blank(const struct compiler *c, size_t i, size_t *from, size_t *to)
{
	if (i == 0) {
		*from = *to = 0;
		return 1;
	}
	const struct token *prev = &c->tokens[i - 1];
	if (prev->kind != TOK_TEXT)
		return 0;
	size_t b = prev->orig_end;
	while (b > prev->orig_begin && is_blank(c->src[b - 1]))
		b--;
	int at_line_start = b > prev->orig_begin ? c->src[b - 1] == '\n' : i - 1 == 0;
	*from = b;
	*to = prev->orig_end;
	return at_line_start;
}

/* Whether the text after token i up to the end of its line is only blanks; sets where
 * the next line begins (after the newline, or the end of the template). */
static int line_ends_blank(const struct compiler *c, size_t i, size_t *next_line)
{
	if (i + 1 == c->token_count) {
		*next_line = c->len;
		return 1;
	}
	const struct token *next = &c->tokens[i + 1];
	if (next->kind != TOK_TEXT)
		return 0;
	size_t e = next->orig_begin;
	while (e < next->orig_end && is_blank(c->src[e]))
		e++;
	if (e < next->orig_end && c->src[e] == '\r' && e + 1 < next->orig_end &&
	    c->src[e + 1] == '\n')
		e++;
	if (e < next->orig_end && c->src[e] == '\n') {
		*next_line = e + 1;
		return 1;
	}
	if (e == next->orig_end && i + 2 == c->token_count) {
		*next_line = e;
		return 1;
	}
	return 0;
}

/* Marks the run of tags first..last standalone when its line holds nothing else, and
 * trims the blanks before it and the rest of the line after it from the texts around. */
static void resolve_line(struct compiler *c, size_t first, size_t last)
{
	size_t blank_from, blank_to, next_line;
	if (!may_stand_alone(c, first, last) || !line_starts_blank(c, first, &blank_from, &blank_to) ||
	    !line_ends_blank(c, last, &next_line))
		return;
	for (size_t i = first; i <= last; i++)
		c->tokens[i].standalone = 1;
	c->tokens[first].indent_begin = blank_from;
	c->tokens[first].indent_end = blank_to;
	if (first > 0)
		c->tokens[first - 1].end = blank_from;
	if (last + 1 < c->token_count) {
		struct token *next = &c->tokens[last + 1];
		/* An empty block on one line, "  {{$b}}{{/b}}", keeps its newline, so
		 * whatever fills it ends its line. */
		int empty_block = last == first + 1 && c->tokens[first].kind == TOK_BLOCK &&
				  c->tokens[last].partner == first;
		if (empty_block) {
			size_t e = next->orig_begin;
			while (e < next->orig_end && is_blank(c->src[e]))
				e++;
			next->begin = e;
		} else {
			next->begin = next_line;
		}
	}
}

/* Pass 2: finds the standalone lines. */
static void find_standalone_lines(struct compiler *c)
{
	size_t i = 0;
	while (i < c->token_count) {
		if (c->tokens[i].kind == TOK_TEXT) {
			i++;
			continue;
		}
		size_t last = i;
		while (last + 1 < c->token_count && c->tokens[last + 1].kind != TOK_TEXT)
			last++;
		resolve_line(c, i, last);
		i = last + 1;
	}
}

/* ---- Pass 3: nodes --------------------------------------------------------------- */

static struct node *add_node(struct mustache *t, enum node_kind kind, uint32_t line)
{
	if (t->node_count == t->node_cap) {
		assert(t->node_cap < UINT32_MAX / 2);
		t->node_cap = t->node_cap ? 2 * t->node_cap : 32;
		t->nodes = xreallocarray(t->nodes, t->node_cap, sizeof *t->nodes);
	}
	struct node *n = &t->nodes[t->node_count++];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->line = line;
	return n;
}

static int is_container(enum node_kind kind)
{
	return kind == NODE_SECTION || kind == NODE_INVERTED || kind == NODE_PARENT ||
	       kind == NODE_BLOCK;
}

/* The node after nodes[i] and everything inside it. */
static uint32_t next_sibling(const struct mustache *t, uint32_t i)
{
	return is_container(t->nodes[i].kind) ? t->nodes[i].end : i + 1;
}

static void add_part(struct mustache *t, const char *key, size_t len)
{
	if (t->part_count == t->part_cap) {
		t->part_cap = t->part_cap ? 2 * t->part_cap : 16;
		t->parts = xreallocarray(t->parts, t->part_cap, sizeof *t->parts);
	}
	t->parts[t->part_count++] = (struct name_part){key, len, value_key_hash(key, len)};
}

/* Splits the dotted name of a variable or section into parts. */
static int add_name_parts(struct compiler *c, struct node *n)
{
	n->first_part = c->t->part_count;
	if (n->len == 1 && n->text[0] == '.')
		return 0;
	size_t start = 0;
	for (size_t i = 0; i <= n->len; i++) {
		if (i < n->len && n->text[i] != '.')
			continue;
		if (i == start)
			return compile_error(c, n->line, "name '%.*s' has an empty part",
					     (int)n->len, n->text);
		add_part(c->t, n->text + start, i - start);
		n->part_count++;
		start = i + 1;
	}
	return 0;
}

/* Finds or adds the partial called name in the cache; returns its number. */
static uint32_t cache_slot(struct partial_cache *cache, const char *name, size_t len)
{
	for (size_t i = 0; i < cache->len; i++)
		if (strlen(cache->entries[i].name) == len &&
		    memcmp(cache->entries[i].name, name, len) == 0)
			return (uint32_t)i;
	if (cache->len == cache->cap) {
		cache->cap = cache->cap ? 2 * cache->cap : 8;
		cache->entries = xreallocarray(cache->entries, cache->cap, sizeof *cache->entries);
	}
	cache->entries[cache->len] = (struct partial_entry){xstrndup(name, len), 0, NULL};
	return (uint32_t)cache->len++;
}

static char *own_text(struct mustache *t, size_t len)
{
	if (t->owned_count == t->owned_cap) {
		t->owned_cap = t->owned_cap ? 2 * t->owned_cap : 8;
		t->owned = xreallocarray(t->owned, t->owned_cap, sizeof *t->owned);
	}
	return t->owned[t->owned_count++] = xmalloc(len + 1);
}

/* How many leading bytes of s (len bytes) match the indentation d. */
static size_t indent_match(const char *s, size_t len, const char *d, size_t d_len)
{
	size_t k = 0;
	while (k < len && k < d_len && s[k] == d[k])
		k++;
	return k;
}

/* Removes the indentation d from the start of each line in a text node. */
static void dedent_text(struct mustache *t, struct node *n, const char *d, size_t d_len)
{
	size_t lines = 0;
	for (size_t i = 0; i + 1 < n->len; i++)
		if (n->text[i] == '\n' && indent_match(n->text + i + 1, n->len - i - 1, d, d_len))
			lines++;
	if (n->starts_line) {
		size_t k = indent_match(n->text, n->len, d, d_len);
		n->text += k;
		n->len -= k;
	}
	if (!lines)
		return;
	char *out = own_text(t, n->len);
	size_t o = 0;
	for (size_t i = 0; i < n->len;) {
		out[o++] = n->text[i];
		if (n->text[i++] == '\n')
			i += indent_match(n->text + i, n->len - i, d, d_len);
	}
	out[o] = '\0';
	n->text = out;
	n->len = o;
}

static void dedent_indent(struct node *n, const char *d, size_t d_len)
{
	size_t k = indent_match(n->indent, n->indent_len, d, d_len);
	n->indent += k;
	n->indent_len -= k;
}

/* Removes the indentation d from every line of nodes[begin, end). Blocks that stood
 * alone were dedented on their own already; only the place they render at moves. */
static void dedent_nodes(struct mustache *t, uint32_t begin, uint32_t end, const char *d,
			 size_t d_len)
{
	for (uint32_t i = begin; i < end;) {
		struct node *n = &t->nodes[i];
		if (n->kind == NODE_TEXT)
			dedent_text(t, n, d, d_len);
		else if (n->standalone)
			dedent_indent(n, d, d_len);
		i = n->kind == NODE_BLOCK && n->standalone ? n->end : i + 1;
	}
}

/* The indentation all non-blank lines of src[from, to) share (from is inside the line
 * before the first). */
static size_t shared_indent(const char *src, size_t from, size_t to, const char **indent)
{
	size_t best = 0;
	*indent = NULL;
	for (size_t i = from; i < to; i++) {
		if (src[i] != '\n')
			continue;
		size_t start = i + 1, w = start;
		while (w < to && is_blank(src[w]))
			w++;
		if (w == to || src[w] == '\n' || src[w] == '\r')
			continue; /* a blank line, or the closing tag's own line */
		if (!*indent) {
			*indent = src + start;
			best = w - start;
		} else {
			best = indent_match(src + start, w - start, *indent, best);
		}
	}
	return best;
}

/* Finishes a block whose opening tag stood alone: its lines lose the indentation they
 * share, and that indentation (or else the tag's own) is where it renders. */
static void finish_standalone_block(struct compiler *c, uint32_t block, const struct token *open,
				    const struct token *close)
{
	struct node *n = &c->t->nodes[block];
	const char *d;
	size_t d_len = shared_indent(c->src, open->end, close->begin, &d);
	if (!d_len)
		return;
	dedent_nodes(c->t, block + 1, n->end, d, d_len);
	n->indent = d;
	n->indent_len = d_len;
}

static enum node_kind node_kind_of(enum token_kind kind)
{
	switch (kind) {
	case TOK_RAW: return NODE_RAW;
	case TOK_SECTION: return NODE_SECTION;
	case TOK_INVERTED: return NODE_INVERTED;
	case TOK_PARTIAL: return NODE_PARTIAL;
	case TOK_PARENT: return NODE_PARENT;
	case TOK_BLOCK: return NODE_BLOCK;
	default: assert(kind == TOK_ESCAPED); return NODE_ESCAPED;
	}
}

/* Pass 3: turns the tokens into nodes. */
static int build_nodes(struct compiler *c)
{
	struct mustache *t = c->t;
	uint32_t open_nodes[MUSTACHE_MAX_DEPTH];
	size_t open_count = 0;
	for (size_t i = 0; i < c->token_count; i++) {
		const struct token *tok = &c->tokens[i];
		struct node *n;
		int rc;
		switch (tok->kind) {
		case TOK_TEXT:
			if (tok->end > tok->begin) {
				n = add_node(t, NODE_TEXT, tok->line);
				n->text = c->src + tok->begin;
				n->len = tok->end - tok->begin;
				n->starts_line = tok->begin == 0 || c->src[tok->begin - 1] == '\n';
			}
			continue;
		case TOK_COMMENT:
		case TOK_DELIMITERS:
			continue;
		case TOK_CLOSE: {
			assert(open_count > 0);
			uint32_t o = open_nodes[--open_count];
			t->nodes[o].end = t->node_count;
			const struct token *open = &c->tokens[tok->partner];
			if (open->kind == TOK_BLOCK && open->standalone)
				finish_standalone_block(c, o, open, tok);
			continue;
		}
		default:
			n = add_node(t, node_kind_of(tok->kind), tok->line);
			break;
		}
		n->text = c->src + tok->name_begin;
		n->len = tok->name_end - tok->name_begin;
		n->standalone = tok->standalone;
		n->indent = c->src + tok->indent_begin;
		n->indent_len = tok->indent_end - tok->indent_begin;
		switch (n->kind) {
		case NODE_ESCAPED:
		case NODE_RAW:
		case NODE_SECTION:
		case NODE_INVERTED:
			if ((rc = add_name_parts(c, n)) < 0)
				return rc;
			break;
		case NODE_PARTIAL:
		case NODE_PARENT:
			n->partial = cache_slot(t->cache, n->text, n->len);
			break;
		case NODE_BLOCK:
			n->hash = value_key_hash(n->text, n->len);
			break;
		case NODE_TEXT:
			break;
		}
		if (is_container(n->kind))
			open_nodes[open_count++] = t->node_count - 1;
	}
	assert(open_count == 0);
	for (uint32_t i = 0; i < t->node_count; i++)
		if (t->nodes[i].kind == NODE_TEXT)
			t->nodes[i].newlines = count_newlines(t->nodes[i].text, t->nodes[i].len);
	return 0;
}

static void template_free(struct mustache *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->owned_count; i++)
		free(t->owned[i]);
	free(t->owned);
	free(t->parts);
	free(t->nodes);
	free(t->source);
	free(t->name);
	free(t);
}

static void cache_free(struct partial_cache *cache)
{
	for (size_t i = 0; i < cache->len; i++) {
		template_free(cache->entries[i].tmpl);
		free(cache->entries[i].name);
	}
	free(cache->entries);
	free(cache);
}

/* Compiles one template into the given cache (without loading its partials). */
static int compile_one(const char *name, const char *text, size_t len,
		       struct partial_cache *cache, struct mustache **out, struct error *err)
{
	struct mustache *t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->source = xmalloc(len + 1);
	if (len)
		memcpy(t->source, text, len);
	t->source[len] = '\0';
	t->source_len = len;
	t->cache = cache;
	struct compiler c = {t, t->source, len, NULL, 0, 0, err};
	int rc = tokenize(&c);
	if (rc < 0)
		goto done;
	find_standalone_lines(&c);
	rc = build_nodes(&c);
done:
	free(c.tokens);
	if (rc < 0) {
		template_free(t);
		t = NULL;
	}
	*out = t;
	return rc;
}

/* Loads and compiles the partial in cache slot i. */
static int load_partial(struct partial_cache *cache, size_t i, struct error *err)
{
	struct buf text = BUF_INIT, label = BUF_INIT;
	char *name = cache->entries[i].name;
	struct mustache *partial = NULL;
	int rc = MUSTACHE_NO_PARTIAL;
	cache->entries[i].loaded = 1;
	if (cache->loader)
		rc = cache->loader->load(cache->loader->ctx, name, &text, &label, err);
	if (rc < 0) {
		error_prefix(err, "partial '%s'", name);
		goto done;
	}
	if (rc == MUSTACHE_NO_PARTIAL) {
		rc = 0;
		goto done;
	}
	rc = compile_one(label.len ? buf_str(&label) : name, buf_str(&text), text.len, cache,
			 &partial, err);
	cache->entries[i].tmpl = partial;
done:
	buf_free(&text);
	buf_free(&label);
	return rc;
}

int mustache_compile(const char *name, const char *text, size_t len,
		     const struct mustache_loader *loader, struct mustache **out,
		     struct error *err)
{
	struct partial_cache *cache = xcalloc(1, sizeof *cache);
	cache->loader = loader && loader->load ? loader : NULL;
	struct mustache *t = NULL;
	*out = NULL;
	int rc = compile_one(name, text, len, cache, &t, err);
	for (size_t i = 0; rc == 0 && i < cache->len; i++)
		if (!cache->entries[i].loaded)
			rc = load_partial(cache, i, err);
	if (rc < 0) {
		template_free(t);
		cache_free(cache);
		return rc;
	}
	cache->loader = NULL; /* only needed while compiling */
	t->owns_cache = 1;
	*out = t;
	return 0;
}

void mustache_free(struct mustache *tmpl)
{
	if (!tmpl)
		return;
	assert(tmpl->owns_cache);
	cache_free(tmpl->cache);
	template_free(tmpl);
}

/* ---- Rendering ------------------------------------------------------------------- */

/* Indentation up to this many bytes is kept joined, to be appended in one go. */
#define INDENT_JOINED_MAX 256

struct indent {
	const char *text; /* blanks put in front of each line */
	size_t len;       /* bytes in text */
};

/* A layout being filled in: the {{<name}} node whose blocks override the layout's. */
struct layout_frame {
	const struct mustache *tmpl; /* template holding the node */
	uint32_t node;               /* the NODE_PARENT */
};

struct render {
	struct buf *out;                                  /* where the output goes */
	const struct value *context[MUSTACHE_MAX_DEPTH + 1]; /* innermost last */
	size_t context_depth;                             /* values in context */
	struct indent indents[MUSTACHE_MAX_DEPTH];        /* indentation, outermost first */
	size_t indent_count;                              /* entries in indents */
	size_t indent_total;                              /* bytes of all indents */
	char indent_joined[INDENT_JOINED_MAX];            /* all indents one after the other,
	                                                     while indent_total fits */
	int at_line_start;                                /* the next template byte starts a line */
	struct layout_frame layouts[MUSTACHE_MAX_PARTIAL_DEPTH]; /* outermost first */
	size_t layout_count;                              /* entries in layouts */
	unsigned depth;                                   /* sections, blocks, partials open */
	unsigned partial_depth;                           /* partials and layouts open */
	struct error *err;                                /* where a failure is described */
};

static int render_nodes(struct render *r, const struct mustache *t, uint32_t begin,
			uint32_t end);

/* Copies the indentation to the end of out, which has room for it. */
static void copy_indent(struct render *r)
{
	struct buf *out = r->out;
	if (r->indent_total <= INDENT_JOINED_MAX) {
		memcpy(out->data + out->len, r->indent_joined, r->indent_total);
		out->len += r->indent_total;
	} else {
		for (size_t i = 0; i < r->indent_count; i++) {
			memcpy(out->data + out->len, r->indents[i].text, r->indents[i].len);
			out->len += r->indents[i].len;
		}
	}
	r->at_line_start = 0;
}

static void put_indent(struct render *r)
{
	buf_grow(r->out, r->indent_total);
	copy_indent(r);
	r->out->data[r->out->len] = '\0';
}

/* Appends a text node, indenting each line when inside an indented partial or block. */
static void put_text(struct render *r, const struct node *n)
{
	if (!r->indent_total) {
		buf_append(r->out, n->text, n->len);
		return;
	}
	struct buf *out = r->out;
	buf_grow(out, n->len + (n->newlines + 1) * r->indent_total);
	const char *s = n->text;
	size_t len = n->len;
	while (len) {
		if (r->at_line_start)
			copy_indent(r);
		const char *nl = memchr(s, '\n', len);
		size_t line = nl ? (size_t)(nl - s) + 1 : len;
		memcpy(out->data + out->len, s, line);
		out->len += line;
		s += line;
		len -= line;
		r->at_line_start = nl != NULL;
	}
	out->data[out->len] = '\0';
}

/* Appends a value; newlines inside data are not indented (only template lines are). */
static void put_value(struct render *r, const struct value *v, int escape)
{
	const char *s;
	size_t len;
	switch (v->type) {
	case VALUE_STRING:
		s = v->as.string.bytes;
		len = v->as.string.len;
		break;
	case VALUE_NUMBER:
		s = v->as.number.text;
		len = v->as.number.text_len;
		break;
	case VALUE_BOOL:
		s = v->as.boolean ? "true" : "false";
		len = strlen(s);
		break;
	default:
		return;
	}
	if (!len)
		return;
	if (r->indent_total && r->at_line_start)
		put_indent(r);
	if (escape)
		buf_html_escape(r->out, s, len);
	else
		buf_append(r->out, s, len);
}

static const struct value *lookup(const struct render *r, const struct mustache *t,
				  const struct node *n)
{
	if (!n->part_count)
		return r->context_depth ? r->context[r->context_depth - 1] : NULL;
	const struct name_part *part = &t->parts[n->first_part];
	const struct value *v = NULL;
	for (size_t i = r->context_depth; i-- > 0 && !v;)
		if (r->context[i]->type == VALUE_MAP)
			v = value_map_get_hashed(r->context[i], part->key, part->len, part->hash);
	for (uint32_t k = 1; v && k < n->part_count; k++)
		v = value_map_get_hashed(v, part[k].key, part[k].len, part[k].hash);
	return v;
}

static int is_truthy(const struct value *v)
{
	if (!v)
		return 0;
	switch (v->type) {
	case VALUE_NULL: return 0;
	case VALUE_BOOL: return v->as.boolean;
	case VALUE_LIST: return v->as.list.len > 0;
	case VALUE_STRING: return v->as.string.len > 0;
	default: return 1;
	}
}

static const char *node_word(enum node_kind kind)
{
	switch (kind) {
	case NODE_PARTIAL: return "partial";
	case NODE_PARENT: return "parent";
	case NODE_BLOCK: return "block";
	case NODE_INVERTED: return "inverted section";
	default: return "section";
	}
}

/* Opens one more level of sections, blocks and partials below node n, or fails when
 * that goes too deep. Pair with leave(). */
static int enter(struct render *r, const struct mustache *t, const struct node *n)
{
	int partial = n->kind == NODE_PARTIAL || n->kind == NODE_PARENT;
	if (r->depth == MUSTACHE_MAX_DEPTH ||
	    (partial && r->partial_depth == MUSTACHE_MAX_PARTIAL_DEPTH))
		return error_set(r->err, ERR_INPUT, "%s:%u: %s '%.*s' nested more than %d deep%s",
				 t->name, n->line, node_word(n->kind), (int)n->len, n->text,
				 partial ? MUSTACHE_MAX_PARTIAL_DEPTH : MUSTACHE_MAX_DEPTH,
				 partial ? " (does it include itself?)" : "");
	r->depth++;
	r->partial_depth += partial;
	return 0;
}

static void leave(struct render *r, const struct node *n)
{
	r->depth--;
	r->partial_depth -= n->kind == NODE_PARTIAL || n->kind == NODE_PARENT;
}

/* Renders the children of a section node with v as the innermost context. */
static int render_with(struct render *r, const struct mustache *t, uint32_t i,
		       const struct value *v)
{
	r->context[r->context_depth++] = v;
	int rc = render_nodes(r, t, i + 1, t->nodes[i].end);
	r->context_depth--;
	return rc;
}

static int render_section(struct render *r, const struct mustache *t, uint32_t i)
{
	const struct node *n = &t->nodes[i];
	const struct value *v = lookup(r, t, n);
	int truthy = is_truthy(v);
	if (n->kind == NODE_INVERTED ? truthy : !truthy)
		return 0;
	int rc = enter(r, t, n);
	if (rc < 0)
		return rc;
	if (n->kind == NODE_INVERTED)
		rc = render_nodes(r, t, i + 1, n->end);
	else if (v->type != VALUE_LIST)
		rc = render_with(r, t, i, v);
	else
		for (size_t k = 0; k < v->as.list.len && rc == 0; k++)
			rc = render_with(r, t, i, v->as.list.items[k]);
	leave(r, n);
	return rc;
}

/* Renders nodes of t inside an indentation (when the tag stood alone on its line). */
static int render_indented(struct render *r, const struct node *site, const struct mustache *t,
			   uint32_t begin, uint32_t end)
{
	if (!site->standalone)
		return render_nodes(r, t, begin, end);
	r->indents[r->indent_count++] = (struct indent){site->indent, site->indent_len};
	if (r->indent_total + site->indent_len <= INDENT_JOINED_MAX)
		memcpy(r->indent_joined + r->indent_total, site->indent, site->indent_len);
	r->indent_total += site->indent_len;
	r->at_line_start = 1;
	int rc = render_nodes(r, t, begin, end);
	r->indent_total -= site->indent_len;
	r->indent_count--;
	return rc;
}

static int render_partial(struct render *r, const struct mustache *t, uint32_t i)
{
	const struct node *n = &t->nodes[i];
	const struct mustache *partial = t->cache->entries[n->partial].tmpl;
	if (!partial)
		return 0;
	int rc = enter(r, t, n);
	if (rc < 0)
		return rc;
	if (n->kind == NODE_PARENT)
		r->layouts[r->layout_count++] = (struct layout_frame){t, i};
	rc = render_indented(r, n, partial, 0, partial->node_count);
	if (n->kind == NODE_PARENT)
		r->layout_count--;
	leave(r, n);
	return rc;
}

/* Finds the block called like site in the layouts being filled in, outermost first;
 * sets *t and *i to it, or leaves them (the site's own default) when none has it. */
static void find_override(const struct render *r, const struct node *site,
			  const struct mustache **t, uint32_t *i)
{
	for (size_t f = 0; f < r->layout_count; f++) {
		const struct mustache *lt = r->layouts[f].tmpl;
		const struct node *parent = &lt->nodes[r->layouts[f].node];
		for (uint32_t k = r->layouts[f].node + 1; k < parent->end;) {
			const struct node *n = &lt->nodes[k];
			if (n->kind == NODE_BLOCK && n->hash == site->hash && n->len == site->len &&
			    memcmp(n->text, site->text, n->len) == 0) {
				*t = lt;
				*i = k;
				return;
			}
			k = next_sibling(lt, k);
		}
	}
}

static int render_block(struct render *r, const struct mustache *t, uint32_t i)
{
	const struct node *site = &t->nodes[i];
	const struct mustache *bt = t;
	uint32_t bi = i;
	find_override(r, site, &bt, &bi);
	int rc = enter(r, t, site);
	if (rc < 0)
		return rc;
	rc = render_indented(r, site, bt, bi + 1, bt->nodes[bi].end);
	leave(r, site);
	return rc;
}

static int render_nodes(struct render *r, const struct mustache *t, uint32_t begin,
			uint32_t end)
{
	int rc = 0;
	for (uint32_t i = begin; i < end && rc == 0;) {
		const struct node *n = &t->nodes[i];
		const struct value *v;
		switch (n->kind) {
		case NODE_TEXT:
			put_text(r, n);
			break;
		case NODE_ESCAPED:
		case NODE_RAW:
			if ((v = lookup(r, t, n)) != NULL)
				put_value(r, v, n->kind == NODE_ESCAPED);
			break;
		case NODE_SECTION:
		case NODE_INVERTED:
			rc = render_section(r, t, i);
			break;
		case NODE_PARTIAL:
		case NODE_PARENT:
			rc = render_partial(r, t, i);
			break;
		case NODE_BLOCK:
			rc = render_block(r, t, i);
			break;
		}
		i = next_sibling(t, i);
	}
	return rc;
}

int mustache_render(const struct mustache *tmpl, const struct value *context,
		    struct buf *out, struct error *err)
{
	struct render r;
	r.out = out;
	r.context_depth = 0;
	if (context)
		r.context[r.context_depth++] = context;
	r.indent_count = r.indent_total = 0;
	r.at_line_start = 1;
	r.layout_count = 0;
	r.depth = r.partial_depth = 0;
	r.err = err;
	size_t start = out->len;
	int rc = render_nodes(&r, tmpl, 0, tmpl->node_count);
	if (rc < 0) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
	}
	return rc;
}
