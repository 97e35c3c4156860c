/* manifest: building, writing and reading out/manifest.json. */
#include "report/manifest.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "report/json_parse.h"
#include "report/site_path.h"
#include "report/value.h"
#include "util/xalloc.h"

void manifest_add(struct manifest *m, const char *path, long long bytes, const char *sha256,
		  const char *content_type, const char *cache_control)
{
	assert(strlen(sha256) == 64 && bytes >= 0);
	if (m->len == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->entries = xreallocarray(m->entries, m->cap, sizeof *m->entries);
	}
	struct manifest_entry *e = &m->entries[m->len++];
	e->path = xstrdup(path);
	e->bytes = bytes;
	memcpy(e->sha256, sha256, 65);
	e->content_type = xstrdup(content_type);
	e->cache_control = xstrdup(cache_control);
}

static int compare_entries(const void *a, const void *b)
{
	const struct manifest_entry *x = a, *y = b;
	return strcmp(x->path, y->path);
}

void manifest_sort(struct manifest *m)
{
	if (m->len > 1)
		qsort(m->entries, m->len, sizeof *m->entries, compare_entries);
}

const struct manifest_entry *manifest_find(const struct manifest *m, const char *path)
{
	size_t lo = 0, hi = m->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->entries[mid].path, path);
		if (c == 0)
			return &m->entries[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int manifest_entry_is_asset(const struct manifest_entry *e)
{
	return strstr(e->cache_control, "immutable") != NULL;
}

void manifest_to_json(const struct manifest *m, struct buf *out)
{
	buf_puts(out, "{\"manifest_version\":1,\"files\":[\n");
	for (size_t i = 0; i < m->len; i++) {
		const struct manifest_entry *e = &m->entries[i];
		assert(i == 0 || strcmp(m->entries[i - 1].path, e->path) < 0);
		buf_puts(out, "{\"path\":");
		buf_json_string(out, e->path, strlen(e->path));
		buf_printf(out, ",\"bytes\":%lld,\"sha256\":\"%s\",\"content_type\":", e->bytes,
			   e->sha256);
		buf_json_string(out, e->content_type, strlen(e->content_type));
		buf_puts(out, ",\"cache_control\":");
		buf_json_string(out, e->cache_control, strlen(e->cache_control));
		buf_puts(out, i + 1 < m->len ? "},\n" : "}\n");
	}
	buf_puts(out, "]}\n");
}

/* The string at key of an entry, or NULL when it is missing, not a string or holds a
 * NUL byte or a control character. */
static const char *entry_string(const struct value *entry, const char *key)
{
	const struct value *v = value_map_get(entry, key);
	if (!v || v->type != VALUE_STRING || strlen(v->as.string.bytes) != v->as.string.len)
		return NULL;
	for (size_t i = 0; i < v->as.string.len; i++)
		if ((unsigned char)v->as.string.bytes[i] < 0x20)
			return NULL;
	return v->as.string.bytes;
}

static int is_hex_digest(const char *s)
{
	if (!s || strlen(s) != 64)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

/* Checks one element of "files" and appends it to m. */
static int add_parsed_entry(const char *name, size_t index, const struct value *entry,
			    struct manifest *m, struct error *err)
{
	const char *path = NULL, *sha = NULL, *type = NULL, *cache = NULL;
	const struct value *bytes = NULL;
	if (entry->type == VALUE_MAP) {
		path = entry_string(entry, "path");
		sha = entry_string(entry, "sha256");
		type = entry_string(entry, "content_type");
		cache = entry_string(entry, "cache_control");
		bytes = value_map_get(entry, "bytes");
	}
	if (!path || !type || !cache || !is_hex_digest(sha) || !bytes ||
	    bytes->type != VALUE_NUMBER || bytes->as.number.n < 0 ||
	    bytes->as.number.n > 9e15 || bytes->as.number.n != (double)(long long)bytes->as.number.n)
		return error_set(err, ERR_INPUT, "%s: file %zu lacks a path, bytes, sha256, "
				 "content_type or cache_control of the right kind", name, index + 1);
	if (site_path_check(path, strlen(path), err) < 0) {
		error_prefix(err, "%s: file %zu", name, index + 1);
		return ERR_INPUT;
	}
	manifest_add(m, path, (long long)bytes->as.number.n, sha, type, cache);
	return 0;
}

int manifest_parse(const char *name, const char *text, size_t len, struct manifest *m,
		   struct error *err)
{
	assert(m->len == 0);
	struct value *root = NULL;
	int rc = json_parse(name, text, len, &root, err);
	if (rc < 0)
		goto done;
	const struct value *files = value_map_get(root, "files");
	const struct value *version = value_map_get(root, "manifest_version");
	if (!files || files->type != VALUE_LIST || !version || version->type != VALUE_NUMBER ||
	    version->as.number.n != 1) {
		rc = error_set(err, ERR_INPUT, "%s: not a version 1 site manifest (it needs "
			       "\"manifest_version\": 1 and a \"files\" list)", name);
		goto done;
	}
	for (size_t i = 0; i < files->as.list.len; i++)
		if ((rc = add_parsed_entry(name, i, files->as.list.items[i], m, err)) < 0)
			goto done;
	manifest_sort(m);
	for (size_t i = 1; i < m->len; i++) {
		if (strcmp(m->entries[i - 1].path, m->entries[i].path) == 0) {
			rc = error_set(err, ERR_INPUT, "%s: '%s' is listed twice", name,
				       m->entries[i].path);
			goto done;
		}
	}
done:
	value_free(root);
	if (rc < 0)
		manifest_free(m);
	return rc;
}

void manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->len; i++) {
		free(m->entries[i].path);
		free(m->entries[i].content_type);
		free(m->entries[i].cache_control);
	}
	free(m->entries);
	m->entries = NULL;
	m->len = m->cap = 0;
}
